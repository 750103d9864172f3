/** Database adapters. */
package io.cairn.dumps;
