package io.livesession.test.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Launches the machine's own headless Chromium through its chromedriver for end-to-end
 * tests. Nothing is ever downloaded: the binaries are {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} (Debian's {@code chromium} and {@code chromium-driver}
 * packages), or the paths in the system properties {@value #CHROMIUM_PROPERTY} and
 * {@value #DRIVER_PROPERTY}. When they are missing, {@link #launch()} fails with a
 * message that says how to install them or how to skip the browser tests.
 * <p>
 * Every {@link Browser} is a separate browser with its own fresh profile, so its own
 * cookie jar; the {@link Tab tabs} of one browser share cookies. Tag test classes with
 * {@code @Tag(HeadlessChromium.TAG)}: the build leaves that tag out when
 * {@code -D}{@value #SKIP_PROPERTY}{@code =true} is given. A module with such tests adds
 * {@code org.seleniumhq.selenium:selenium-chrome-driver} as a test dependency.
 * <pre class="code">
 * &#064;Tag(HeadlessChromium.TAG)
 * class ChatBrowserTests {
 *
 *     &#064;Test
 *     void aliceSeesHerMessageInEveryBrowser() {
 *         try (Browser one = HeadlessChromium.launch(); Browser two = HeadlessChromium.launch()) {
 *             Tab first = one.open(url + "/login").type("username", "alice") ...;
 *             first.awaitAttribute("status", "data-status", "open").screenshot("chat");
 *         }
 *     }
 *
 * }
 * </pre>
 *
 * @author livesession
 * @since 0.1.0
 */
public final class HeadlessChromium {

	/**
	 * The JUnit tag of tests that need the browser.
	 */
	public static final String TAG = "browser";

	/**
	 * The Maven property that leaves the browser tests out of the build.
	 */
	public static final String SKIP_PROPERTY = "livesession.e2e.skip";

	/**
	 * The system property with the path of the Chromium binary.
	 */
	public static final String CHROMIUM_PROPERTY = "livesession.e2e.chromium";

	/**
	 * The system property with the path of chromedriver (Selenium's own name for it).
	 */
	public static final String DRIVER_PROPERTY = "webdriver.chrome.driver";

	static final String MISSING_MESSAGE = "%s is missing. The end-to-end tests run in the machine's headless "
			+ "Chromium: install chromium chromium-driver (for example: sudo apt-get install -y chromium "
			+ "chromium-driver), or skip browser tests with -D" + SKIP_PROPERTY + "=true";

	// Held so that the level sticks: java.util.logging keeps loggers weakly.
	private static final List<Logger> quietLoggers = new ArrayList<>();

	static {
		// Selenium warns that it has no DevTools bindings for this Chromium version;
		// these tests use WebDriver only.
		for (String name : List.of("org.openqa.selenium.devtools.CdpVersionFinder",
				"org.openqa.selenium.chromium.ChromiumDriver")) {
			Logger logger = Logger.getLogger(name);
			logger.setLevel(Level.SEVERE);
			quietLoggers.add(logger);
		}
	}

	private HeadlessChromium() {
	}

	/**
	 * The Chromium binary to use.
	 * @return its path
	 */
	public static Path chromium() {
		return Path.of(System.getProperty(CHROMIUM_PROPERTY, "/usr/bin/chromium"));
	}

	/**
	 * The chromedriver binary to use.
	 * @return its path
	 */
	public static Path chromedriver() {
		return Path.of(System.getProperty(DRIVER_PROPERTY, "/usr/bin/chromedriver"));
	}

	/**
	 * Launches a new browser with a fresh profile.
	 * @return the browser; close it to quit Chromium and delete the profile
	 * @throws IllegalStateException when Chromium or chromedriver is not installed
	 */
	public static Browser launch() {
		Path chromium = requireExecutable(chromium(), "Chromium");
		Path chromedriver = requireExecutable(chromedriver(), "chromedriver");
		Path profile;
		try {
			profile = Files.createTempDirectory("livesession-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
				"--disable-default-apps", "--disable-extensions", "--lang=en-US", "--window-size=800,600",
				"--user-data-dir=" + profile);
		// An explicit driver executable keeps Selenium Manager from looking for (and
		// downloading) one.
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.withSilent(true)
			.build();
		try {
			return new Browser(new ChromeDriver(service, options), profile);
		}
		catch (RuntimeException ex) {
			Browser.deleteRecursively(profile);
			throw ex;
		}
	}

	private static Path requireExecutable(Path path, String what) {
		if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
			throw new IllegalStateException(MISSING_MESSAGE.formatted(what + " (" + path + ")"));
		}
		return path;
	}

}
