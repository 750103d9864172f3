package io.cairn.server;

import io.cairn.engine.crypto.NativeCrypto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn server}: starts the Spring Boot application. The two everyday settings have short
 * options ({@code --port}, {@code --data-dir}); every other setting is a Spring property
 * ({@code --cairn.x=y}, {@code CAIRN_X}, or {@code application.yml}), see docs/configuration.md.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CairnServer {

    public static void main(String[] args) {
        // Native AES-GCM, HMAC and SHA-256 (docs/adr/0016) before anything makes a cipher; the server keeps the
        // full JIT, so with the JDK's providers (another platform) it is as fast once warm.
        NativeCrypto.install();
        int exit = new CommandLine(new Launch()).setUnmatchedArgumentsAllowed(true).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Command(name = "cairn server", mixinStandardHelpOptions = true,
            description = "Starts the Cairn server (web dashboard and REST API).",
            footer = "Any other Spring property can be passed as --name=value; see docs/configuration.md.")
    static final class Launch implements Callable<Integer> {
        @Option(names = "--port", paramLabel = "N", description = "HTTP port. Default: $CAIRN_PORT, else 8080.")
        Integer port;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Data directory (metadata database, key file, default repository). "
                        + "Default: $CAIRN_DATA_DIR, else ./cairn-data.")
        Path dataDir;

        @CommandLine.Unmatched
        List<String> rest = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> springArgs = new ArrayList<>(rest);
            if (port != null) {
                springArgs.add("--server.port=" + port);
            }
            if (dataDir != null) {
                springArgs.add("--cairn.data-dir=" + dataDir.toAbsolutePath());
            }
            SpringApplication app = new SpringApplication(CairnServer.class);
            app.run(springArgs.toArray(String[]::new));
            LoggerFactory.getLogger(CairnServer.class).info("Crypto: {}", NativeCrypto.status().description());
            return 0;
        }
    }
}
