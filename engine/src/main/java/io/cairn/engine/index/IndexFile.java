package io.cairn.engine.index;

import io.cairn.engine.blob.BlobId;
import io.cairn.engine.blob.BlobType;
import io.cairn.engine.crypto.CorruptObjectException;
import io.cairn.engine.pack.PackEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of one index object: which blobs each listed pack holds, and which older index
 * objects this one replaces ("supersedes", written by prune).
 * <pre>
 *   index   = "CIX1" || supersedes_count:u32le || superseded index id:32 ... ||
 *             pack_count:u32le || pack ...
 *   pack    = pack_id:32 || blob_count:u32le || blob ...
 *   blob    = type:u8 || id:32 || offset:u32le || sealed_length:u32le || plain_length:u32le
 * </pre>
 * The object is stored sealed with aad "cairn/v1/index/" + its id.
 */
public record IndexFile(List<String> supersedes, Map<String, List<PackEntry>> packs) {

    private static final byte[] MAGIC = "CIX1".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    public int blobCount() {
        return packs.values().stream().mapToInt(List::size).sum();
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + blobCount() * 48);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            writeIntLe(out, supersedes.size());
            for (String id : supersedes) {
                out.write(HEX.parseHex(id));
            }
            writeIntLe(out, packs.size());
            for (Map.Entry<String, List<PackEntry>> pack : packs.entrySet()) {
                out.write(HEX.parseHex(pack.getKey()));
                writeIntLe(out, pack.getValue().size());
                for (PackEntry e : pack.getValue()) {
                    out.writeByte(e.type().code());
                    out.write(e.id().bytes());
                    writeIntLe(out, e.offset());
                    writeIntLe(out, e.sealedLength());
                    writeIntLe(out, e.plainLength());
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static IndexFile decode(byte[] plain, String what) {
        try {
            ByteBuffer in = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new CorruptObjectException(what + " has an unknown format");
            }
            int supersedesCount = in.getInt();
            if (supersedesCount < 0 || supersedesCount > in.remaining() / 32) {
                throw new CorruptObjectException(what + " has an impossible supersedes count " + supersedesCount);
            }
            List<String> supersedes = new ArrayList<>();
            for (int i = 0; i < supersedesCount; i++) {
                supersedes.add(readId(in));
            }
            int packCount = in.getInt();
            if (packCount < 0) {
                throw new CorruptObjectException(what + " has an impossible pack count " + packCount);
            }
            Map<String, List<PackEntry>> packs = new LinkedHashMap<>();
            for (int p = 0; p < packCount; p++) {
                String packId = readId(in);
                int blobs = in.getInt();
                if (blobs < 0 || blobs > in.remaining()) {
                    throw new CorruptObjectException(what + " has an impossible blob count");
                }
                List<PackEntry> entries = new ArrayList<>(blobs);
                for (int b = 0; b < blobs; b++) {
                    BlobType type = BlobType.fromCode(in.get() & 0xff);
                    byte[] id = new byte[BlobId.LENGTH];
                    in.get(id);
                    entries.add(new PackEntry(type, BlobId.wrap(id), in.getInt(), in.getInt(), in.getInt()));
                }
                packs.put(packId, entries);
            }
            if (in.hasRemaining()) {
                throw new CorruptObjectException(what + " has " + in.remaining() + " trailing bytes");
            }
            return new IndexFile(supersedes, packs);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptObjectException(what + " is truncated or malformed", e);
        }
    }

    private static String readId(ByteBuffer in) {
        byte[] id = new byte[32];
        in.get(id);
        return HEX.formatHex(id);
    }

    private static void writeIntLe(DataOutputStream out, int v) throws IOException {
        out.writeInt(Integer.reverseBytes(v));
    }
}
