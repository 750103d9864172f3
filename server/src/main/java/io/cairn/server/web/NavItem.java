package io.cairn.server.web;

/**
 * One entry of the left navigation.
 *
 * @param section  the section key pages set as {@code section} to mark it current
 * @param icon     the id of its symbol in /img/icons.svg
 * @param upcoming true while the section only says what is coming
 */
public record NavItem(String section, String label, String href, String icon, boolean upcoming) {
}
