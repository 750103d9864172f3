/**
 * Shapes every JSON API shares: a page of a list ({@link io.cairn.server.api.ApiPage}) and the
 * {@code page}/{@code size} parameters that ask for it ({@link io.cairn.server.api.Paging}).
 */
package io.cairn.server.api;
