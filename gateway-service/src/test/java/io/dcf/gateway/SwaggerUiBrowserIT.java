package io.dcf.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI in a real headless browser (Debian's chromium, driven through its chromium-driver) against a
 * real gateway with a deployed function: the page loads /openapi.json, the token goes in through the
 * Authorize dialog, and "Try it out" of GET /system/functions shows the function in the response panel.
 * Skipped, saying so, where chromium or chromedriver is not installed (.ci/run installs both).
 */
class SwaggerUiBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path home;
    private static TestGateway gw;
    private static WebDriver browser;

    @BeforeAll
    static void start(@TempDir Path functions) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "SKIPPED: no headless browser here (needs " + CHROMIUM + " and " + CHROMEDRIVER
                        + ": apt-get install chromium chromium-driver, as .ci/run does)");
        gw = TestGateway.start(home);
        gw.deployJava("swagger-fn", TestGateway.javaFunction(functions, "swagger-fn", """
                    public Response handle(Request request) { return Response.text(request.text()); }
                """));
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,2000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void tryItOut_listFunctions_withTheTokenFromAuthorize_showsTheDeployedFunction() {
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get("http://127.0.0.1:" + gw.port + "/swagger-ui");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".info .title"), "DCF gateway"));
        assertThat(browser.getCurrentUrl()).endsWith("/swagger-ui/");

        WebElement list = operation(wait, "get", "/system/functions");
        list.findElement(By.cssSelector(".try-out__btn")).click();
        list.findElement(By.cssSelector(".execute")).click();
        assertThat(responseOf(wait, list)).as("without the token").contains("UNAUTHENTICATED");

        browser.findElement(By.cssSelector(".auth-wrapper .authorize")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux")));
        dialog.findElement(By.cssSelector("input")).sendKeys(gw.token);
        dialog.findElement(By.cssSelector(".auth-btn-wrapper .authorize")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux .auth-btn-wrapper .btn")));
        dialog.findElement(By.cssSelector(".btn-done")).click();

        list.findElement(By.cssSelector(".execute")).click();
        wait.until(driver -> responseOf(wait, list).contains("swagger-fn"));
        assertThat(responseOf(wait, list)).contains("\"name\": \"swagger-fn\"").doesNotContain("UNAUTHENTICATED");
        assertThat(list.findElement(By.cssSelector(".live-responses-table tbody .response-col_status")).getText())
                .contains("200");
    }

    /** The operation's block, expanded. */
    private static WebElement operation(WebDriverWait wait, String method, String path) {
        WebElement block = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//div[contains(@class,'opblock-" + method + "')][.//*[@data-path='" + path + "']]")));
        block.findElement(By.cssSelector(".opblock-summary-control")).click();
        wait.until(driver -> !block.findElements(By.cssSelector(".try-out__btn")).isEmpty());
        return block;
    }

    /** The text of the response panel's body once the call answered. */
    private static String responseOf(WebDriverWait wait, WebElement block) {
        return wait.until(driver -> {
            var bodies = block.findElements(By.cssSelector(".live-responses-table .response-col_description pre"));
            return bodies.isEmpty() || bodies.get(0).getText().isBlank() ? null : bodies.get(0).getText();
        });
    }
}
