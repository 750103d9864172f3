package io.cairn.engine.progress;

/** Receives {@link ProgressEvent}s. Called from several threads; implementations must be thread-safe. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = event -> { };

    void onEvent(ProgressEvent event);
}
