package io.cairn.server.job;

import io.cairn.server.source.DatabaseConnections;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceType;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Picks how a source is read: files by the engine, databases by their dump adapter. */
@Component
class SourceReaders {

    private final DatabaseConnections databases;

    SourceReaders(DatabaseConnections databases) {
        this.databases = databases;
    }

    /**
     * @param toolOutput where a dump tool's stderr lines go (already masked by the adapter; the job's log
     *                   masks again)
     */
    SourceReader create(Source source, java.util.function.Consumer<String> toolOutput) {
        if (source.type() == SourceType.PATH) {
            return new PathReader(Path.of(source.path()));
        }
        return new DatabaseReader(databases.adapter(source), databases.spec(source), toolOutput);
    }
}
