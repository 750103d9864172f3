package io.cairn.server.source;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
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

/** Projects: sources that belong together. */
@RestController
@RequestMapping("/api/v1/projects")
@Tag(name = "Projects")
public class ProjectApiController {

    private final ProjectService projects;
    private final SourceService sources;

    public ProjectApiController(ProjectService projects, SourceService sources) {
        this.projects = projects;
        this.sources = sources;
    }

    public record ProjectRequest(@Size(max = 80) String name, @Size(max = 500) String description) {
    }

    public record ProjectView(long id, String name, String description, List<SourceView> sources) {
    }

    @GetMapping
    @Operation(summary = "List projects with their sources")
    public List<ProjectView> list() {
        return projects.list().stream().map(this::view).toList();
    }

    @PostMapping
    @Operation(summary = "Create a project")
    public ResponseEntity<ProjectView> create(@Valid @RequestBody ProjectRequest body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(view(projects.create(body.name(), body.description())));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One project with its sources")
    public ProjectView get(@PathVariable long id) {
        return view(projects.get(new ProjectId(id)));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Rename or describe a project")
    public ProjectView update(@PathVariable long id, @Valid @RequestBody ProjectRequest body) {
        return view(projects.update(new ProjectId(id), body.name(), body.description()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a project; its sources stay, without a project")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        projects.delete(new ProjectId(id));
        return ResponseEntity.noContent().build();
    }

    private ProjectView view(Project p) {
        return new ProjectView(p.id().value(), p.name(), p.description(),
                sources.listByProject(p.id()).stream().map(SourceView::of).toList());
    }
}
