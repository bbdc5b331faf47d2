package io.cannobserv.reconciler.link;

/**
 * A link: a soft pointer from a table to a REST resource, and the answers of the
 * resource's API that prove it gone.
 *
 * @param name the link's name, as {@code archiver-watcher}
 * @param resource what the pointers name, and how to ask about one
 * @param gone the answers that prove a resource gone, and so clear its pointer
 */
public record Link(String name, Resource resource, GoneRules gone) {

}
