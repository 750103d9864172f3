package io.cairn.server.web;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sections the product will have but this version does not yet: each page says what is coming,
 * instead of a broken page.
 */
@Controller
public class ComingSoonController {

    record Upcoming(String section, String title, String summary, List<String> features) {
    }

    private static final Upcoming SCHEDULES = new Upcoming("schedules", "Schedules",
            "Backups that run on their own, exactly once, with retention.", List.of(
            "Cron schedules with a human description and the next runs",
            "Retention policies: keep daily, weekly, monthly and yearly backups",
            "Alerts when a backup is late or fails"));

    @GetMapping("/schedules")
    public String schedules(Model model) {
        return page(model, SCHEDULES);
    }

    private static String page(Model model, Upcoming upcoming) {
        model.addAttribute("section", upcoming.section());
        model.addAttribute("upcoming", upcoming);
        return "coming-soon";
    }
}
