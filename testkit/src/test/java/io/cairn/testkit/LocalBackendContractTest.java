package io.cairn.testkit;

import io.cairn.engine.backend.Backend;
import io.cairn.engine.backend.LocalBackend;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class LocalBackendContractTest extends BackendContract {

    @TempDir
    Path directory;

    @Override
    protected Backend newBackend() {
        return new LocalBackend(directory.resolve("repository"));
    }
}
