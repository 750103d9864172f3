package io.cairn.server.snapshot;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Turns a {@link BrowseService.Download} into the HTTP answer, for the API and the signed links alike:
 * a file as a resource (Spring adds {@code Accept-Ranges} and answers {@code Range} with 206), an
 * archive streamed straight into the response (synchronously, so no async timeout cuts a long one).
 */
final class DownloadResponses {

    private DownloadResponses() {
    }

    /** The answer; null when the archive was already written to {@code response}. */
    static ResponseEntity<Resource> send(BrowseService.Download download, HttpServletResponse response)
            throws IOException {
        if (download instanceof BrowseService.FileDownload file) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .header(HttpHeaders.CONTENT_DISPOSITION, attachment(file.filename()))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .header("X-Content-Type-Options", "nosniff")
                    .body(file.resource());
        }
        BrowseService.ArchiveDownload archive = (BrowseService.ArchiveDownload) download;
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(archive.contentType());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, attachment(archive.filename()));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        OutputStream out = response.getOutputStream();
        archive.writeTo(out);
        out.flush();
        return null;
    }

    private static String attachment(String filename) {
        return ContentDisposition.attachment().filename(filename, StandardCharsets.UTF_8).build().toString();
    }
}
