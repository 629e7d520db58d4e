using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;
using SdkSigningHandler = ImageCatalog.Client.SdkSigningHandler;

namespace ImageCatalog.IntegrationTests.Authentication;

/// <summary>Per-credential rate limits: 429 ModelArts.6101 with Retry-After, other credentials untouched, recovery.</summary>
public sealed class RateLimitTests : ApiTest
{
    [Test]
    public async Task A_credential_over_its_limit_gets_429_with_retry_after_and_recovers()
    {
        await using var limited = TestEnvironment.Factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("RateLimit:PermitsPerSecond", "1");
            builder.UseSetting("RateLimit:Burst", "3");
        });
        var clock = TestEnvironment.Clock;
        using var busy = limited.CreateDefaultClient(new SdkSigningHandler("WRITER-A", ImageCatalogFactory.SecretOf("WRITER-A"), clock.GetUtcNow));
        using var other = limited.CreateDefaultClient(new SdkSigningHandler("READER-A", ImageCatalogFactory.SecretOf("READER-A"), clock.GetUtcNow));
        var path = $"/v1/{ImageCatalogFactory.ProjectA}/images/group";

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await busy.GetAsync(path);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                rejected ??= response;
            }
        }

        using var untouched = await other.GetAsync(path);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        using var recovered = await busy.GetAsync(path);

        Assert.That(statuses.Take(3), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(statuses, Does.Contain(HttpStatusCode.TooManyRequests));
        await AssertErrorAsync(rejected!, HttpStatusCode.TooManyRequests, "ModelArts.6101");
        Assert.That(rejected!.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(untouched.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another credential has its own bucket");
        Assert.That(recovered.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the bucket refills");
    }
}
