package io.cairn.server.source;

import io.cairn.dumps.TlsMode;

import io.cairn.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The source form (add, change), test connection, delete, and projects. The Sources list and a source's
 * page, which show backups too, are in {@code io.cairn.server.overview}.
 */
@Controller
public class SourcesController {

    private final SourceService sources;
    private final ProjectService projects;
    private final ConnectionTests tests;

    public SourcesController(SourceService sources, ProjectService projects, ConnectionTests tests) {
        this.sources = sources;
        this.projects = projects;
        this.tests = tests;
    }

    @GetMapping("/sources/new")
    public String newForm(@RequestParam(defaultValue = "POSTGRESQL") String type, Model model) {
        SourceType t;
        try {
            t = SourceType.valueOf(type);
        } catch (IllegalArgumentException e) {
            t = SourceType.POSTGRESQL;
        }
        return form(model, SourceForm.empty(t), null, Map.of());
    }

    @PostMapping("/sources")
    public String create(@ModelAttribute SourceForm form, Model model, HttpServletResponse response,
                         RedirectAttributes redirect) {
        Map<String, String> errors = new LinkedHashMap<>();
        SourceRequest request = form.toRequest(errors);
        try {
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            Source created = sources.create(request);
            redirect.addFlashAttribute("notice", "Source “" + created.name() + "” added. Test its connection, then back "
                    + "it up.");
            return "redirect:/sources/" + created.id();
        } catch (ProblemException e) {
            response.setStatus(e.status().value());
            errors.putAll(e.fieldErrors());
            return form(model, form, null, errors.isEmpty() ? Map.of("name", e.getMessage()) : errors);
        }
    }

    @GetMapping("/sources/{id}/edit")
    public String editForm(@PathVariable long id, Model model) {
        Source source = sources.get(new SourceId(id));
        return form(model, SourceForm.of(source), source, Map.of());
    }

    @PostMapping("/sources/{id}")
    public String update(@PathVariable long id, @ModelAttribute SourceForm form, Model model,
                         HttpServletResponse response, RedirectAttributes redirect) {
        Source source = sources.get(new SourceId(id));
        Map<String, String> errors = new LinkedHashMap<>();
        SourceRequest request = form.toRequest(errors);
        try {
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            Source updated = sources.update(source.id(), request);
            redirect.addFlashAttribute("notice", "Source “" + updated.name() + "” saved.");
            return "redirect:/sources/" + updated.id();
        } catch (ProblemException e) {
            response.setStatus(e.status().value());
            errors.putAll(e.fieldErrors());
            return form(model, form, source, errors.isEmpty() ? Map.of("name", e.getMessage()) : errors);
        }
    }

    @PostMapping("/sources/{id}/delete")
    public String delete(@PathVariable long id, RedirectAttributes redirect) {
        Source source = sources.get(new SourceId(id));
        sources.delete(source.id());
        redirect.addFlashAttribute("notice", "Source “" + source.name() + "” deleted. Its backups stay in the "
                + "repository and in the history.");
        return "redirect:/sources";
    }

    /** The answer of "Test connection", as a fragment for htmx. */
    @PostMapping("/sources/{id}/test")
    public String test(@PathVariable long id, Model model) {
        model.addAttribute("result", tests.test(new SourceId(id)));
        return "sources/test-result :: result";
    }

    @PostMapping("/projects")
    public String createProject(@RequestParam(defaultValue = "") String name,
                                @RequestParam(defaultValue = "") String description, RedirectAttributes redirect) {
        try {
            Project p = projects.create(name, description);
            redirect.addFlashAttribute("notice", "Project “" + p.name() + "” created. Choose it in a source's form to "
                    + "add the source to it.");
        } catch (ProblemException e) {
            redirect.addFlashAttribute("failure", String.join(" ", e.fieldErrors().values()));
        }
        return "redirect:/sources#projects";
    }

    @PostMapping("/projects/{id}/delete")
    public String deleteProject(@PathVariable long id, RedirectAttributes redirect) {
        Project p = projects.get(new ProjectId(id));
        projects.delete(p.id());
        redirect.addFlashAttribute("notice", "Project “" + p.name() + "” deleted; its sources stay.");
        return "redirect:/sources#projects";
    }

    private String form(Model model, SourceForm form, Source existing, Map<String, String> errors) {
        model.addAttribute("section", "sources");
        model.addAttribute("form", form);
        model.addAttribute("existing", existing);
        model.addAttribute("errors", errors);
        model.addAttribute("types", SourceType.values());
        model.addAttribute("tlsModes", TlsMode.values());
        model.addAttribute("compressions", io.cairn.engine.blob.Compression.values());
        model.addAttribute("projects", projects.list());
        return "sources/form";
    }
}
