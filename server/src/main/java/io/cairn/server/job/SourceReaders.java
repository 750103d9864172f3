package io.cairn.server.job;

import io.cairn.server.problem.ProblemException;
import io.cairn.server.source.Source;
import io.cairn.server.source.SourceType;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Picks how a source is read: files by the engine, databases by their dump adapter. */
@Component
class SourceReaders {

    SourceReader create(Source source) {
        if (source.type() == SourceType.PATH) {
            return new PathReader(Path.of(source.path()));
        }
        throw ProblemException.conflict(source.type().label() + " sources cannot be backed up by this version yet.");
    }
}
