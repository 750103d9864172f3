package io.cairn.server.source;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sources: what is backed up. Passwords are write-only (responses say only whether one is set). */
@RestController
@RequestMapping("/api/v1/sources")
@Tag(name = "Sources")
public class SourceApiController {

    private final SourceService sources;
    private final ConnectionTests tests;

    public SourceApiController(SourceService sources, ConnectionTests tests) {
        this.sources = sources;
        this.tests = tests;
    }

    @GetMapping
    @Operation(summary = "List sources")
    public List<SourceView> list() {
        return sources.list().stream().map(SourceView::of).toList();
    }

    @PostMapping
    @Operation(summary = "Create a source. Fields by type: host, port, database, username, password, tlsMode for "
            + "databases; path for SQLITE and PATH; includes/excludes for PATH")
    public ResponseEntity<SourceView> create(@RequestBody SourceRequest body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(SourceView.of(sources.create(body)));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One source")
    public SourceView get(@PathVariable long id) {
        return SourceView.of(sources.get(new SourceId(id)));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a source; omit password to keep it, or send clearPassword: true to remove it")
    public SourceView update(@PathVariable long id, @RequestBody SourceRequest body) {
        return SourceView.of(sources.update(new SourceId(id), body));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a source; its backups stay in the repository and in the history")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        sources.delete(new SourceId(id));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/test")
    @Operation(summary = "Test the connection; the answer says in plain words what is wrong")
    public ConnectionTests.Result test(@PathVariable long id) {
        return tests.test(new SourceId(id));
    }
}
