package io.cairn.engine.pack;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.crypto.MasterKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of a pack file.
 * <pre>
 *   pack   = blob_0 || ... || blob_{n-1} || header || header_length:u32le
 *   blob_i = seal(aad = "cairn/v1/blob/" type "/" hex(id), BlobCodec encoding of the plaintext)
 *   header = seal(aad = "cairn/v1/pack/" packId, "CPK1" || count:u32le || entry_0 .. entry_{n-1})
 *   entry  = type:u8 || id:32 || sealed_length:u32le || plain_length:u32le
 * </pre>
 * Blob offsets follow from the order of entries: blob_0 starts at 0 and each blob follows the last.
 * The header makes a pack self-describing, so indexes can be rebuilt from packs alone.
 */
public final class PackFormat {

    private static final byte[] MAGIC = "CPK1".getBytes(StandardCharsets.US_ASCII);
    public static final int ENTRY_LENGTH = 1 + BlobId.LENGTH + 4 + 4;
    public static final int TRAILER_LENGTH = 4;

    private PackFormat() {
    }

    public static byte[] blobAad(BlobType type, BlobId id) {
        return ("cairn/v1/blob/" + type.label() + "/" + id.hex()).getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] headerAad(String packId) {
        return ("cairn/v1/pack/" + packId).getBytes(StandardCharsets.US_ASCII);
    }

    /** Seals the header and returns {@code header || header_length}. */
    public static byte[] encodeHeader(MasterKey key, String packId, List<PackEntry> entries, SecureRandom random) {
        ByteBuffer plain = ByteBuffer.allocate(MAGIC.length + 4 + entries.size() * ENTRY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        plain.put(MAGIC).putInt(entries.size());
        for (PackEntry e : entries) {
            plain.put((byte) e.type().code()).put(e.id().bytes()).putInt(e.sealedLength()).putInt(e.plainLength());
        }
        byte[] sealed = key.seal(plain.array(), headerAad(packId), random);
        ByteBuffer out = ByteBuffer.allocate(sealed.length + TRAILER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        out.put(sealed).putInt(sealed.length);
        return out.array();
    }

    /** Reads the header length from the last 4 bytes of a pack. */
    public static int headerLength(byte[] trailer, String packId, long packSize) {
        int n = ByteBuffer.wrap(trailer).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (n <= 0 || n > packSize - TRAILER_LENGTH) {
            throw new CorruptObjectException("pack " + packId + " has an impossible header length " + n
                    + " (pack is " + packSize + " bytes; truncated?)");
        }
        return n;
    }

    /** Opens and parses a sealed header; verifies that the blobs exactly fill the space before it. */
    public static List<PackEntry> decodeHeader(MasterKey key, String packId, byte[] sealedHeader, long packSize) {
        byte[] plain = key.open(sealedHeader, 0, sealedHeader.length, headerAad(packId), "header of pack " + packId);
        ByteBuffer in = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        if (plain.length < MAGIC.length + 4) {
            throw new CorruptObjectException("header of pack " + packId + " is too short");
        }
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new CorruptObjectException("header of pack " + packId + " has an unknown format");
        }
        int count = in.getInt();
        if (count < 0 || in.remaining() != (long) count * ENTRY_LENGTH) {
            throw new CorruptObjectException("header of pack " + packId + " lists " + count + " blobs but has "
                    + in.remaining() + " bytes of entries");
        }
        List<PackEntry> entries = new ArrayList<>(count);
        long offset = 0;
        for (int i = 0; i < count; i++) {
            int code = in.get() & 0xff;
            BlobType type;
            try {
                type = BlobType.fromCode(code);
            } catch (IllegalArgumentException e) {
                throw new CorruptObjectException("header of pack " + packId + " lists a blob of unknown type " + code, e);
            }
            byte[] id = new byte[BlobId.LENGTH];
            in.get(id);
            int sealedLength = in.getInt();
            int plainLength = in.getInt();
            entries.add(new PackEntry(type, BlobId.wrap(id), (int) offset, sealedLength, plainLength));
            offset += sealedLength;
        }
        long expected = offset + sealedHeader.length + TRAILER_LENGTH;
        if (expected != packSize) {
            throw new CorruptObjectException("pack " + packId + " is " + packSize + " bytes but its header accounts for "
                    + expected);
        }
        return entries;
    }
}
