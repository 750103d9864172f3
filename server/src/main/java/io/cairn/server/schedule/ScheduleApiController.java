package io.cairn.server.schedule;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Schedules over the API: list, create, read, change, enable, disable, delete, and preview a cron expression. */
@RestController
@Tag(name = "Schedules")
public class ScheduleApiController {

    private final ScheduleService schedules;
    private final ScheduleViews views;

    private final ScheduleRetention retention;

    public ScheduleApiController(ScheduleService schedules, ScheduleViews views, ScheduleRetention retention) {
        this.schedules = schedules;
        this.views = views;
        this.retention = retention;
    }

    @GetMapping("/api/v1/schedules")
    @Operation(summary = "Every schedule, with its description in words, next runs and last run")
    public List<ScheduleView> list() {
        return views.of(schedules.list());
    }

    @PostMapping("/api/v1/schedules")
    @Operation(summary = "Create a schedule of a source or a project: a cron expression (or a preset) in a time zone. "
            + "400 with the bad field named (minute, hour, dayOfMonth, month, dayOfWeek, zone…) when invalid")
    public ResponseEntity<ScheduleView> create(@RequestBody ScheduleRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(views.of(schedules.create(request)));
    }

    @GetMapping("/api/v1/schedules/preview")
    @Operation(summary = "Describe a cron expression (or a preset: preset=DAILY&at=02:00, WEEKLY with dayOfWeek, "
            + "MONTHLY with dayOfMonth) in a zone and list its next five runs; 400 names the bad field")
    public ScheduleService.Preview preview(@RequestParam(required = false) String cron,
                                           @RequestParam(required = false) String zone,
                                           @RequestParam(required = false) String preset,
                                           @RequestParam(required = false) String at,
                                           @RequestParam(required = false) String dayOfWeek,
                                           @RequestParam(required = false) Integer dayOfMonth) {
        return schedules.preview(cron, preset, at, dayOfWeek, dayOfMonth, zone);
    }

    @GetMapping("/api/v1/schedules/{id}")
    @Operation(summary = "One schedule")
    public ScheduleView get(@PathVariable long id) {
        return views.of(schedules.get(new ScheduleId(id)));
    }

    @PutMapping("/api/v1/schedules/{id}")
    @Operation(summary = "Change a schedule (the whole body, as for create); its next run is planned again")
    public ScheduleView update(@PathVariable long id, @RequestBody ScheduleRequest request) {
        return views.of(schedules.update(new ScheduleId(id), request));
    }

    @PostMapping("/api/v1/schedules/{id}/enable")
    @Operation(summary = "Enable a schedule: it fires again from its next cron time")
    public ScheduleView enable(@PathVariable long id) {
        return views.of(schedules.setEnabled(new ScheduleId(id), true));
    }

    @PostMapping("/api/v1/schedules/{id}/disable")
    @Operation(summary = "Disable a schedule: it does not fire until enabled again")
    public ScheduleView disable(@PathVariable long id) {
        return views.of(schedules.setEnabled(new ScheduleId(id), false));
    }

    @GetMapping("/api/v1/schedules/{id}/retention/dry-run")
    @Operation(summary = "Dry run of the schedule's retention: for each source, which backups would go and why each "
            + "one stays; 'refused' when the policy would remove every backup and force is not set. Changes nothing")
    public List<ScheduleRetention.SourceDecision> retentionDryRun(@PathVariable long id) {
        return retention.dryRun(new ScheduleId(id));
    }

    @DeleteMapping("/api/v1/schedules/{id}")
    @Operation(summary = "Delete a schedule; backups it made stay")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        schedules.delete(new ScheduleId(id));
        return ResponseEntity.noContent().build();
    }
}
