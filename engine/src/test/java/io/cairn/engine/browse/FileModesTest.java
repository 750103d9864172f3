package io.cairn.engine.browse;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.engine.tree.NodeType;
import org.junit.jupiter.api.Test;

class FileModesTest {

    @Test
    void rendersTypeAndPermissionsLikeLs() {
        assertThat(FileModes.symbolic(NodeType.FILE, 0644)).isEqualTo("-rw-r--r--");
        assertThat(FileModes.symbolic(NodeType.DIR, 0755)).isEqualTo("drwxr-xr-x");
        assertThat(FileModes.symbolic(NodeType.SYMLINK, 0777)).isEqualTo("lrwxrwxrwx");
        assertThat(FileModes.symbolic(NodeType.FILE, 0)).isEqualTo("----------");
    }

    @Test
    void rendersSetuidSetgidAndSticky() {
        assertThat(FileModes.symbolic(NodeType.FILE, 04755)).isEqualTo("-rwsr-xr-x");
        assertThat(FileModes.symbolic(NodeType.FILE, 04644)).isEqualTo("-rwSr--r--");
        assertThat(FileModes.symbolic(NodeType.DIR, 02775)).isEqualTo("drwxrwsr-x");
        assertThat(FileModes.symbolic(NodeType.DIR, 01777)).isEqualTo("drwxrwxrwt");
        assertThat(FileModes.symbolic(NodeType.DIR, 01770)).isEqualTo("drwxrwx--T");
    }
}
