package io.cairn.server.audit;

import io.cairn.server.api.ApiPage;
import io.cairn.server.api.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The audit log for admins: search (newest first, paged) and export. */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit log")
public class AuditApiController {

    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    public AuditApiController(AuditLog audit, JsonMapper json, Clock clock) {
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "Search the audit log. Filters: actor, action (a code, or a prefix ending in '.'), "
            + "outcome, q (text in target or details), from, to (YYYY-MM-DD or ISO instants)")
    public ApiPage<AuditEvent> search(@ModelAttribute AuditQueryParams filter,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer size) {
        Paging paging = Paging.of(page, size);
        AuditLog.Page result = audit.search(filter.toQuery(), paging.offset(), paging.size());
        return ApiPage.of(result.items(), paging.page(), paging.size(), result.total());
    }

    @GetMapping("/export")
    @Operation(summary = "Export every matching entry as CSV (format=csv) or a JSON array (format=json)")
    public void export(@ModelAttribute AuditQueryParams filter, @RequestParam(defaultValue = "csv") String format,
                       HttpServletResponse response) throws IOException {
        AuditExport.respond(audit, filter, format, " (API)", clock, response, json);
    }
}
