/**
 * Spring application events for the milestones of a drain.
 */
@NullMarked
package io.github.gracefulshutdown.drain.event;

import org.jspecify.annotations.NullMarked;
