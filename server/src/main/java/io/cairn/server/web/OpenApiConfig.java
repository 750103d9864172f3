package io.cairn.server.web;

import io.cairn.server.system.SystemHealth;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's title, description and bearer-token scheme (Swagger UI at /api/docs). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    @Bean
    OpenAPI cairnOpenApi(SystemHealth health) {
        return new OpenAPI()
                .info(new Info().title("Cairn API").version(health.version()).description(
                        "Backups of databases and machine paths, their repositories, users and audit log. "
                                + "Authenticate with a personal API token or a token from POST /api/v1/auth/login, "
                                + "sent as 'Authorization: Bearer TOKEN'. Errors are RFC 9457 problem details; "
                                + "lists take page and size. See docs/api.md."))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A personal API token (cairn_pat_...) or an access token (cairn_at_...)")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
