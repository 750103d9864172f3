package io.cairn.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Object names: 64 lowercase hex digits for every type but the config, which is always "config". */
class FileHandleTest {

    private static final String ID = "0123456789abcdef".repeat(4);

    @Test
    void aPackNamedBy64LowercaseHexDigitsLivesUnderItsTwoDigitFolder() {
        assertThat(FileHandle.of(FileType.PACK, ID).relativePath()).isEqualTo("data/01/" + ID);
        assertThat(FileHandle.of(FileType.SNAPSHOT, ID).relativePath()).isEqualTo("snapshots/" + ID);
        assertThat(FileHandle.CONFIG.relativePath()).isEqualTo("config");
    }

    @Test
    void namesThatAreNot64LowercaseHexDigitsAreRefused() {
        for (String bad : new String[] {ID.substring(1), ID + "0", ID.toUpperCase(), "g" + ID.substring(1),
                "../" + ID.substring(3), ID.substring(0, 63) + "/", ""}) {
            assertThatThrownBy(() -> FileHandle.of(FileType.PACK, bad)).as("name '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("want 64 hex digits");
        }
        assertThatThrownBy(() -> FileHandle.of(FileType.CONFIG, "other")).isInstanceOf(IllegalArgumentException.class);
    }
}
