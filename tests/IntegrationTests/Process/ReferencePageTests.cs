using ImageCatalog.Api.OpenApi;
using Microsoft.Playwright;

namespace ImageCatalog.IntegrationTests.Process;

/// <summary>
/// The interactive API reference in a real headless Chromium (Debian's, no browser download), against the real
/// process; the page must work offline, so every request it makes goes to the service itself.
/// </summary>
public sealed class ReferencePageTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    public async Task The_reference_page_lists_the_group_operation_using_only_the_service()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore($"{Chromium} is not installed (apt-get install chromium); CI installs it.");
        }

        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = TestEnvironment.Database.ConnectionString,
            ["Database__MigrateOnStartup"] = "false",
        });
        using var http = new HttpClient();
        await service.WaitUntilServingAsync(http, OpenApiSetup.ReferencePath, TimeSpan.FromMinutes(1));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Root in CI: Chromium's sandbox needs an unprivileged user.
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync();
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(service.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
            }
        };

        await page.GotoAsync(new Uri(service.BaseAddress, OpenApiSetup.ReferencePath).ToString());
        var operation = page.GetByText("ListImageGroup").First;
        await operation.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reference-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "The API reference page");

        Assert.That(await operation.IsVisibleAsync(), Is.True);
        Assert.That(elsewhere, Is.Empty, "the page asked hosts other than the service");
        Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000));
    }
}
