package io.cairn.server.repository;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;

/**
 * At start, before the web server accepts requests: creates the default repository if there is none
 * (first start only). Once ready: verifies in the background that each repository opens with its
 * stored password (an Argon2 key derivation each, which would otherwise delay readiness).
 */
@Component
class RepositoryStartup implements SmartInitializingSingleton {

    private final RepositoryService service;
    private final TaskExecutor executor;

    RepositoryStartup(RepositoryService service, @Qualifier("applicationTaskExecutor") TaskExecutor executor) {
        this.service = service;
        this.executor = executor;
    }

    @Override
    public void afterSingletonsInstantiated() {
        service.ensureDefaultRepository();
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        executor.execute(service::verifyAll);
    }
}
