package io.cairn.testkit;

import io.cairn.engine.backend.Backend;

class InMemoryBackendContractTest extends BackendContract {

    @Override
    protected Backend newBackend() {
        return new InMemoryBackend();
    }
}
