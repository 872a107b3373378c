package io.livesession.test.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One headless Chromium with its own profile (so its own cookie jar), made by
 * {@link HeadlessChromium#launch()}. Its {@link Tab tabs} share cookies, like the tabs of
 * any browser.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class Browser implements AutoCloseable {

	private final ChromeDriver driver;

	private final Path profile;

	private boolean firstWindowUsed;

	Browser(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/**
	 * Opens a page: in the browser's first window the first time, in a new tab after
	 * that.
	 * @param url the page
	 * @return the tab
	 */
	public Tab open(String url) {
		if (this.firstWindowUsed) {
			this.driver.switchTo().newWindow(WindowType.TAB);
		}
		this.firstWindowUsed = true;
		String handle = this.driver.getWindowHandle();
		this.driver.get(url);
		return new Tab(this.driver, handle);
	}

	/**
	 * A cookie of the site shown in the tab used last, {@code HttpOnly} ones included
	 * (such as {@code JSESSIONID}, to find the server side of this browser's session).
	 * @param name the cookie's name
	 * @return its value, or {@code null} when the browser has no such cookie
	 */
	public @Nullable String cookie(String name) {
		Cookie cookie = this.driver.manage().getCookieNamed(name);
		return (cookie != null) ? cookie.getValue() : null;
	}

	/**
	 * The underlying driver, for anything {@link Tab} does not offer. It acts on
	 * whichever tab was used last.
	 * @return the driver
	 */
	public ChromeDriver driver() {
		return this.driver;
	}

	/**
	 * Quits Chromium and deletes its profile.
	 */
	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			deleteRecursively(this.profile);
		}
	}

	static void deleteRecursively(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A leftover temporary profile is harmless.
		}
	}

}
