using System.Net;
using System.Text;
using SdkSigningHandler = ImageCatalog.Client.SdkSigningHandler;

namespace ImageCatalog.IntegrationTests.Process;

/// <summary>
/// Behaviour that only the real server shows (the in-memory test server enforces no body or header limits), and
/// what the service writes to its log.
/// </summary>
public sealed class KestrelLimitsTests
{
    private const string AccessKey = "KESTREL-WRITER";
    private const string SecretKey = "kestrel-secret-never-logged";
    private ServiceProcess _service = null!;
    private HttpClient _signed = null!;

    [OneTimeSetUp]
    public async Task StartServiceAsync()
    {
        _service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = TestEnvironment.Database.ConnectionString,
            ["Database__MigrateOnStartup"] = "false",
            ["Auth__AccessKeys__0__AccessKey"] = AccessKey,
            ["Auth__AccessKeys__0__SecretKey"] = SecretKey,
            ["Auth__AccessKeys__0__Projects__0"] = "*",
            ["Auth__AccessKeys__0__Roles__0"] = "writer",
            ["Logging__LogLevel__Default"] = "Debug",
        });
        _signed = new HttpClient(new SdkSigningHandler(AccessKey, SecretKey, () => DateTimeOffset.UtcNow) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = _service.BaseAddress,
        };
        await _service.WaitUntilServingAsync(_signed, "/openapi/v1.json", TimeSpan.FromMinutes(1));
    }

    [OneTimeTearDown]
    public async Task StopServiceAsync()
    {
        _signed.Dispose();
        await _service.DisposeAsync();
    }

    [Test]
    public async Task A_register_body_larger_than_64_KiB_is_a_413_with_the_error_body()
    {
        var body = $"{{\"swr_path\": \"swr.example.com/team/app:1\", \"description\": \"{new string('x', 70_000)}\"}}";

        using var response = await _signed.PostAsync("/v1/p/images", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(text, Does.Contain("\"error_code\":\"ModelArts.6413\""));
    }

    [Test]
    public async Task More_than_64_headers_are_refused_by_the_server()
    {
        using var plain = new HttpClient { BaseAddress = _service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        for (var i = 0; i < 80; i++)
        {
            request.Headers.Add($"X-Filler-{i}", "x");
        }

        using var response = await plain.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
    }

    [Test]
    public async Task Responses_do_not_name_the_server()
    {
        using var response = await _signed.GetAsync("/v1/p/images/group");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Server, Is.Empty);
    }

    [Test]
    public async Task Neither_secret_keys_nor_tokens_reach_the_log()
    {
        const string token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2VjcmV0LXRva2VuLXNpZ25hdHVyZQ";
        using var plain = new HttpClient { BaseAddress = _service.BaseAddress };
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/p/images/group");
        tokenRequest.Headers.Add("X-Auth-Token", token);
        using var wrongSecret = new HttpClient(new SdkSigningHandler(AccessKey, "wrong-" + SecretKey, () => DateTimeOffset.UtcNow) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = _service.BaseAddress,
        };

        using var accepted = await _signed.GetAsync("/v1/p/images/group");
        using var refusedToken = await plain.SendAsync(tokenRequest);
        using var refusedSignature = await wrongSecret.GetAsync("/v1/p/images/group");
        await Task.Delay(500);

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refusedToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(refusedSignature.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_service.Output, Does.Not.Contain(SecretKey));
        Assert.That(_service.Output, Does.Not.Contain("c2VjcmV0LXRva2VuLXNpZ25hdHVyZQ"));
        Assert.That(_service.Output, Does.Contain("Debug").Or.Contain("dbug"), "the log ran at debug level");
    }

    [Test]
    public async Task The_production_log_is_one_json_object_per_line_carrying_the_request_id_and_the_callers_trace_id()
    {
        var requestId = "log-check-" + Guid.NewGuid().ToString("N");
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/p/images/group?limit=1");
        request.Headers.Add(ImageCatalog.Api.Http.RequestIdMiddleware.HeaderName, requestId);
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await _signed.SendAsync(request);
        await Task.Delay(500);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var lines = _service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Is.Not.Empty);
        Assert.That(lines.Where(line => !IsJsonObject(line)), Is.Empty, "every line is a JSON object");
        var ofRequest = lines.Where(line => line.Contains(requestId, StringComparison.Ordinal)).ToList();
        Assert.That(ofRequest, Is.Not.Empty, "the request logged at debug level");
        Assert.That(
            ofRequest.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("Scopes").ToString()),
            Has.All.Contains($"\"RequestId\":\"{requestId}\"").And.All.Contains($"\"TraceId\":\"{traceId}\""));
    }

    private static bool IsJsonObject(string line)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
