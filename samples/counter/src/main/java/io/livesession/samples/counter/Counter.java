package io.livesession.samples.counter;

/**
 * The group attribute {@code counter}.
 *
 * @param count the count
 * @author livesession
 */
public record Counter(int count) {

}
