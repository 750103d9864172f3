package io.cairn.server.snapshot;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signed download links ({@code /downloads/<token>}): no sign-in needed, the token is the permission
 * (see {@link DownloadLinks}). Forged or damaged: 404; expired or the session ended: 410.
 */
@RestController
@Hidden
public class DownloadController {

    private final BrowseService browse;

    public DownloadController(BrowseService browse) {
        this.browse = browse;
    }

    @GetMapping("/downloads/{token}")
    public ResponseEntity<Resource> download(@PathVariable String token, HttpServletResponse response)
            throws IOException {
        return DownloadResponses.send(browse.redeem(token), response);
    }
}
