package io.livesession.test.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
	 * Reloads the page.
	 * @return this tab
	 */
	public Tab reload() {
		driver().navigate().refresh();
		return this;
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
