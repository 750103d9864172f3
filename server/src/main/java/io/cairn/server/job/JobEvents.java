package io.cairn.server.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes job progress to browsers as server-sent events. A job never waits for a browser: progress
 * is handed to one sender thread through a queue that keeps only the newest state per job, and a slow
 * or dead connection is dropped. A client that (re)connects first receives the state of every active
 * job ({@code snapshot}), then {@code progress} events, and {@code job} events when a job's status
 * changes (the page then reloads the rows it shows).
 */
@Component
public class JobEvents implements DisposableBean, org.springframework.context.SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private static final long TIMEOUT_MILLIS = 30 * 60_000;
    /** Events are written as text in UTF-8, as the event-stream format requires. */
    private static final MediaType UTF8_TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final List<SseEmitter> clients = new CopyOnWriteArrayList<>();
    private final Map<Long, LiveProgress> latest = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
    private final Map<Long, Boolean> pending = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cairn-job-events");
        t.setDaemon(true);
        return t;
    });

    /** A status change of a job (queued, started, ended), for pages to reload their rows. */
    public record JobChanged(long jobId, long sourceId, JobStatus status) {
    }

    private final JsonMapper json;

    public JobEvents(JsonMapper json) {
        this.json = json;
        sender.execute(this::sendLoop);
    }

    /** A new browser connection: the state of every active job first. */
    public SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        emitter.onCompletion(() -> clients.remove(emitter));
        emitter.onTimeout(() -> clients.remove(emitter));
        emitter.onError(e -> clients.remove(emitter));
        try {
            emitter.send(SseEmitter.event().name("snapshot").data(List.copyOf(latest.values()),
                    MediaType.APPLICATION_JSON).reconnectTime(3000));
            clients.add(emitter);
        } catch (IOException e) {
            emitter.completeWithError(e);
        }
        return emitter;
    }

    public int clientCount() {
        return clients.size();
    }

    /** The newest progress of a running job; older undelivered progress of the same job is replaced. */
    public void progress(LiveProgress progress) {
        latest.put(progress.jobId(), progress);
        if (pending.putIfAbsent(progress.jobId(), Boolean.TRUE) == null) {
            outbox.offer(progress.jobId());
        }
    }

    public void changed(JobChanged change) {
        if (change.status().isFinished()) {
            latest.remove(change.jobId());
        }
        outbox.offer(change);
    }

    public Collection<LiveProgress> active() {
        return latest.values();
    }

    private void sendLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            Object item;
            try {
                item = outbox.poll(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (item == null) {
                broadcastFrame(":keep-alive\n\n");
                continue;
            }
            if (item instanceof Long jobId) {
                pending.remove(jobId);
                LiveProgress p = latest.get(jobId);
                if (p != null) {
                    broadcast("progress", p);
                }
            } else if (item instanceof JobChanged change) {
                broadcast("job", change);
            }
        }
    }

    /**
     * Sends one event to every client. The whole event ({@code event:NAME}, {@code data:JSON}, blank line) is
     * written once as one string and goes to each client as one write, so a crowd of dashboards costs one
     * serialisation per event and one converter call and flush per client (an {@code SseEmitter} event builder
     * made three writes of each event per client, each through the message converters).
     */
    private void broadcast(String name, Object data) {
        if (clients.isEmpty()) {
            return;
        }
        // compact JSON has no line breaks, so it is one data line
        broadcastFrame("event:" + name + "\ndata:" + json.writeValueAsString(data) + "\n\n");
    }

    private void broadcastFrame(String frame) {
        Set<ResponseBodyEmitter.DataWithMediaType> event = Set.of(new ResponseBodyEmitter.DataWithMediaType(frame, UTF8_TEXT));
        for (SseEmitter client : clients) {
            try {
                client.send(event);
            } catch (IOException | IllegalStateException e) {
                clients.remove(client);
                log.debug("dropped an event-stream client: {}", e.getMessage());
            }
        }
    }

    private volatile boolean running = true;

    /** Ends every event stream first at shutdown, so the web server's graceful shutdown need not wait for them. */
    @Override
    public void stop() {
        running = false;
        clients.forEach(SseEmitter::complete);
        clients.clear();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
        clients.forEach(SseEmitter::complete);
    }
}
