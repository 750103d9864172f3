package io.cairn.server.audit;

import io.cairn.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/** The Audit page: search with filters (results update in place), page through, export CSV or JSON. */
@Controller
public class AuditController {

    static final int PAGE_SIZE = 50;

    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    public AuditController(AuditLog audit, JsonMapper json, Clock clock) {
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/audit")
    public String page(@ModelAttribute("filter") AuditQueryParams filter, @RequestParam(defaultValue = "0") int page,
                       Model model, HttpServletResponse response) {
        model.addAttribute("section", "audit");
        model.addAttribute("actions", AuditAction.values());
        model.addAttribute("outcomes", AuditOutcome.values());
        fill(filter, page, model, response);
        return "audit";
    }

    @GetMapping("/audit/rows")
    public String rows(@ModelAttribute("filter") AuditQueryParams filter, @RequestParam(defaultValue = "0") int page,
                       Model model, HttpServletResponse response) {
        fill(filter, page, model, response);
        return "audit :: results";
    }

    @GetMapping("/audit/export")
    public void export(@ModelAttribute AuditQueryParams filter, @RequestParam(defaultValue = "csv") String format,
                       HttpServletResponse response) throws IOException {
        AuditExport.respond(audit, filter, format, "", clock, response, json);
    }

    private void fill(AuditQueryParams filter, int page, Model model, HttpServletResponse response) {
        try {
            AuditQuery query = filter.toQuery();
            int p = Math.max(0, page);
            AuditLog.Page result = audit.search(query, p * PAGE_SIZE, PAGE_SIZE);
            model.addAttribute("events", result.items());
            model.addAttribute("total", result.total());
            model.addAttribute("page", p);
            model.addAttribute("pages", Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE));
        } catch (ProblemException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("filterErrors", e.fieldErrors());
            model.addAttribute("events", java.util.List.of());
            model.addAttribute("total", 0L);
            model.addAttribute("page", 0);
            model.addAttribute("pages", 1L);
        }
    }
}
