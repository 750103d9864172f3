/**
 * Content-defined chunking: cuts file and dump data into chunks whose boundaries depend on the
 * content, so an insertion or deletion changes only the chunks around it and the rest deduplicate.
 *
 * <p>Glossary:
 * <ul>
 *   <li><b>chunk</b>: a run of consecutive bytes of one input stream; becomes one data blob.</li>
 *   <li><b>boundary</b> / <b>cut point</b>: where one chunk ends and the next begins.</li>
 *   <li><b>gear table</b>: 256 pseudo-random 64-bit values, one per byte value, derived from the
 *       repository's secret <b>gear seed</b>; the rolling hash adds them up.</li>
 *   <li><b>gear hash</b>: the rolling hash {@code h = (h << 1) + gear[byte]}; after 64 steps a byte
 *       has shifted out, so {@code h} depends on the last 64 bytes only.</li>
 *   <li><b>mask</b>: a set of hash bits that must all be zero for a cut; {@code n} bits make a cut
 *       about once every {@code 2^n} bytes.</li>
 *   <li><b>normalization</b>: a stricter mask before the average size and a looser one after,
 *       which narrows the spread of chunk sizes around the average.</li>
 * </ul>
 *
 * <p>Contract: {@link io.cairn.engine.chunker.Chunker} is a pure function of the bytes and
 * {@link io.cairn.engine.chunker.ChunkerParams}; the exact rule is in its class documentation and
 * in the repository format spec, and is pinned by golden vectors in
 * {@code engine/src/test/resources/golden/chunker/}. Changing where it cuts changes the repository
 * format. {@link io.cairn.engine.chunker.ChunkStream} applies it to an {@link java.io.InputStream}:
 * the chunks concatenate to the input, every chunk but the last is within
 * {@code (minSize, maxSize]}, and the result does not depend on how the input's reads are split.
 */
package io.cairn.engine.chunker;
