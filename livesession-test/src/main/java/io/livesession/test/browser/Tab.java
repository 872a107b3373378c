package io.livesession.test.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One tab of a {@link Browser}. Every method first switches the driver to this tab, so
 * tests can interleave tabs freely. Elements are found by their {@code id}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class Tab {

	/**
	 * How long the {@code await} methods wait unless told otherwise.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Where {@link #screenshot(String)} saves its PNGs, relative to the module.
	 */
	public static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private final ChromeDriver driver;

	private final String handle;

	Tab(ChromeDriver driver, String handle) {
		this.driver = driver;
		this.handle = handle;
	}

	/**
	 * The driver, switched to this tab.
	 * @return the driver
	 */
	public ChromeDriver driver() {
		if (!this.handle.equals(this.driver.getWindowHandle())) {
			this.driver.switchTo().window(this.handle);
		}
		return this.driver;
	}

	/**
	 * The element with the given id.
	 * @param id the id
	 * @return the element
	 */
	public WebElement element(String id) {
		return driver().findElement(By.id(id));
	}

	/**
	 * The visible text of an element.
	 * @param id the element's id
	 * @return the text
	 */
	public String text(String id) {
		return element(id).getText();
	}

	/**
	 * An attribute of an element ({@code data-status}, {@code disabled} ...).
	 * @param id the element's id
	 * @param name the attribute
	 * @return its value, or {@code null}
	 */
	public @Nullable String attribute(String id, String name) {
		return element(id).getDomAttribute(name);
	}

	/**
	 * A property of an element, as scripts see it: unlike {@link #attribute}, the
	 * {@code value} property follows what was typed or set by a script.
	 * @param id the element's id
	 * @param name the property
	 * @return its value as a string, or {@code null}
	 */
	public @Nullable String property(String id, String name) {
		return element(id).getDomProperty(name);
	}

	/**
	 * The visible texts of an element's children, in order: the items of a list.
	 * @param id the element's id
	 * @return the texts
	 */
	public List<String> items(String id) {
		return element(id).findElements(By.xpath("./*")).stream().map(WebElement::getText).toList();
	}

	/**
	 * Clicks an element.
	 * @param id the element's id
	 * @return this tab
	 */
	public Tab click(String id) {
		element(id).click();
		return this;
	}

	/**
	 * Types into an input.
	 * @param id the element's id
	 * @param text what to type
	 * @return this tab
	 */
	public Tab type(String id, String text) {
		element(id).sendKeys(text);
		return this;
	}

	/**
	 * Waits until an element's text is the expected one.
	 * @param id the element's id
	 * @param expected the text
	 * @return this tab
	 */
	public Tab awaitText(String id, String expected) {
		return awaitText(id, expected, DEFAULT_TIMEOUT);
	}

	/**
	 * Waits until an element's text is the expected one.
	 * @param id the element's id
	 * @param expected the text
	 * @param timeout how long to wait
	 * @return this tab
	 */
	public Tab awaitText(String id, String expected, Duration timeout) {
		return await("text of #" + id, (tab) -> tab.text(id), expected, timeout);
	}

	/**
	 * Waits until one of an element's children (a list item) has the expected text.
	 * @param id the element's id
	 * @param expected the text
	 * @return this tab
	 */
	public Tab awaitItem(String id, String expected) {
		long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
		while (true) {
			List<String> items;
			try {
				items = items(id);
			}
			catch (NoSuchElementException | StaleElementReferenceException ex) {
				items = List.of();
			}
			if (items.contains(expected)) {
				return this;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Expected #%s to list <%s> within %s but it listed %s (page %s)".formatted(id,
						expected, DEFAULT_TIMEOUT, items, driver().getCurrentUrl()));
			}
			sleep(50);
		}
	}

	/**
	 * Waits until an element's attribute has the expected value.
	 * @param id the element's id
	 * @param name the attribute
	 * @param expected the value
	 * @return this tab
	 */
	public Tab awaitAttribute(String id, String name, String expected) {
		return awaitAttribute(id, name, expected, DEFAULT_TIMEOUT);
	}

	/**
	 * Waits until an element's attribute has the expected value.
	 * @param id the element's id
	 * @param name the attribute
	 * @param expected the value
	 * @param timeout how long to wait
	 * @return this tab
	 */
	public Tab awaitAttribute(String id, String name, String expected, Duration timeout) {
		return await(name + " of #" + id, (tab) -> tab.attribute(id, name), expected, timeout);
	}

	/**
	 * Waits until a value read from the page is the expected one, and fails with the last
	 * value read when the time is up.
	 * @param description what is read, for the failure message
	 * @param read reads the value; a missing or replaced element reads as {@code null}
	 * @param expected the value
	 * @param timeout how long to wait
	 * @return this tab
	 */
	public Tab await(String description, Function<Tab, @Nullable Object> read, @Nullable Object expected,
			Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		@Nullable Object actual;
		while (true) {
			try {
				actual = read.apply(this);
			}
			catch (NoSuchElementException | StaleElementReferenceException ex) {
				actual = null;
			}
			if (Objects.equals(actual, expected)) {
				return this;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Expected %s to be <%s> within %s but it was <%s> (page %s)"
					.formatted(description, expected, timeout, actual, driver().getCurrentUrl()));
			}
			sleep(50);
		}
	}

	/**
	 * Checks, again and again for the whole duration, that an element's attribute keeps
	 * the expected value, and fails as soon as it does not.
	 * @param id the element's id
	 * @param name the attribute
	 * @param expected the value
	 * @param duration how long it must hold
	 * @return this tab
	 */
	public Tab holdsAttribute(String id, String name, String expected, Duration duration) {
		return holds(name + " of #" + id, (tab) -> tab.attribute(id, name), expected, duration);
	}

	/**
	 * Checks, again and again for the whole duration, that a value read from the page
	 * stays the expected one, and fails with the value read as soon as it does not: for
	 * what must <em>not</em> happen (a reconnect, a message that must not arrive).
	 * @param description what is read, for the failure message
	 * @param read reads the value; a missing or replaced element reads as {@code null}
	 * @param expected the value
	 * @param duration how long it must hold
	 * @return this tab
	 */
	public Tab holds(String description, Function<Tab, @Nullable Object> read, @Nullable Object expected,
			Duration duration) {
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		while (true) {
			@Nullable Object actual;
			try {
				actual = read.apply(this);
			}
			catch (NoSuchElementException | StaleElementReferenceException ex) {
				actual = null;
			}
			if (!Objects.equals(actual, expected)) {
				throw new AssertionError("Expected %s to stay <%s> for %s but after %d ms it was <%s> (page %s)"
					.formatted(description, expected, duration, Duration.ofNanos(System.nanoTime() - start).toMillis(),
							actual, driver().getCurrentUrl()));
			}
			if (System.nanoTime() - deadline > 0) {
				return this;
			}
			sleep(50);
		}
	}

	/**
	 * Logs in through a login form such as Spring Security's default one: types into the
	 * inputs {@code #username} and {@code #password}, submits their form and waits until
	 * the browser has left the login page.
	 * @param username the user name
	 * @param password the password
	 * @return this tab, on the page the login led to
	 * @throws AssertionError when the login page is still shown (a failed login)
	 */
	public Tab login(String username, String password) {
		WebElement user = element("username");
		user.clear();
		user.sendKeys(username);
		WebElement secret = element("password");
		secret.clear();
		secret.sendKeys(password);
		secret.submit();
		return await("login of " + username + " (off the /login page)", (tab) -> {
			String url = tab.driver().getCurrentUrl();
			return url != null && !url.contains("/login");
		}, true, DEFAULT_TIMEOUT);
	}

	/**
	 * Reloads the page.
	 * @return this tab
	 */
	public Tab reload() {
		driver().navigate().refresh();
		return this;
	}

	/**
	 * Closes the tab, as a person closing it would: the page unloads. The driver moves to
	 * another tab of the browser, if there is one; this tab can no longer be used.
	 */
	public void close() {
		ChromeDriver driver = driver();
		driver.close();
		driver.getWindowHandles().stream().findFirst().ifPresent((handle) -> driver.switchTo().window(handle));
	}

	/**
	 * Runs a script in the page.
	 * @param script the script body; {@code arguments[i]} are the arguments
	 * @param arguments the arguments
	 * @return what the script returned
	 */
	public @Nullable Object script(String script, Object... arguments) {
		return driver().executeScript(script, arguments);
	}

	/**
	 * Saves a screenshot of the tab as {@code target/screenshots/<name>.png}.
	 * @param name the file name without extension
	 * @return the file
	 */
	public Path screenshot(String name) {
		byte[] png = driver().getScreenshotAs(OutputType.BYTES);
		try {
			Files.createDirectories(SCREENSHOTS);
			return Files.write(SCREENSHOTS.resolve(name + ".png"), png);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
