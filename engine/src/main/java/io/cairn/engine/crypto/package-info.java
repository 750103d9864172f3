/**
 * Cryptography of the repository format.
 *
 * <p>Glossary: the <b>master key</b> ({@link io.cairn.engine.crypto.MasterKey}) holds an encryption
 * key and an id key; a <b>sealed</b> object ({@link io.cairn.engine.crypto.Seal}) is AES-256-GCM
 * under a per-object key derived with HKDF from a random salt, with associated data binding the
 * object's type and id; <b>KDF params</b> ({@link io.cairn.engine.crypto.KdfParams}) turn a password
 * into the key that wraps the master key in a key file. Opening anything that was altered throws
 * {@link io.cairn.engine.crypto.CorruptObjectException}; wrong bytes are never returned.
 *
 * <p>The algorithms come from the JCA: {@link io.cairn.engine.crypto.NativeCrypto} puts AWS-LC (native code) in
 * front of the JDK's providers where it can be loaded; the bytes are the same either way (docs/adr/0016).
 */
package io.cairn.engine.crypto;
