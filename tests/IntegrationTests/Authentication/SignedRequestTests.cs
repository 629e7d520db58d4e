using System.Net;
using System.Net.Http.Json;
using ImageCatalog.IntegrationTests.Infrastructure;
using SdkSigningHandler = ImageCatalog.Client.SdkSigningHandler;

namespace ImageCatalog.IntegrationTests.Authentication;

/// <summary>AK/SK signatures through the real pipeline (CONTRACT.md section 3).</summary>
public sealed class SignedRequestTests : ApiTest
{
    private const string Project = ImageCatalogFactory.ProjectA;

    private static HttpClient Signed(string accessKey = "OPERATOR-ALL", Action<HttpRequestMessage>? tamper = null) =>
        TestEnvironment.Factory.CreateSignedClient(accessKey, tamper);

    [Test]
    public async Task A_signed_get_with_a_query_a_post_with_a_body_and_a_delete_are_accepted()
    {
        using var client = Signed("WRITER-A");

        using var post = await client.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = "swr.example.com/team/app:1" }, Wire.Json);
        var image = (await post.Content.ReadFromJsonAsync<Image>(Wire.Json))!;
        using var get = await client.GetAsync($"/v1/{Project}/images/group?name=app&limit=5&name_fuzzy_match=true");
        using var delete = await client.DeleteAsync($"/v1/{Project}/images/{image.Id}");

        Assert.Multiple(() =>
        {
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [TestCase("name=a b")]
    [TestCase("name=a%2Bb")]
    [TestCase("name=a+b")]
    [TestCase("name=100%25")]
    [TestCase("name=caf%C3%A9")]
    [TestCase("name=%F0%9F%90%B3&name=%F0%9F%90%B3")]
    [TestCase("z=1&a=2&m=%2F%3A")]
    public async Task Queries_with_characters_that_need_escaping_verify(string query)
    {
        using var client = Signed();

        using var response = await client.GetAsync($"/v1/{Project}/images/group?{query}");

        // 200 or a validation 400: either way the signature was accepted.
        Assert.That((int)response.StatusCode, Is.AnyOf(200, 400), await response.Content.ReadAsStringAsync());
    }

    public static IEnumerable<TestCaseData> Tampering()
    {
        yield return new TestCaseData(new Action<HttpRequestMessage>(r => r.Method = HttpMethod.Delete)).SetName("method changed");
        yield return new TestCaseData(new Action<HttpRequestMessage>(r =>
            r.RequestUri = new Uri(r.RequestUri!.ToString().Replace("/images/group", "/images", StringComparison.Ordinal)))).SetName("path changed");
        yield return new TestCaseData(new Action<HttpRequestMessage>(r =>
            r.RequestUri = new Uri(r.RequestUri!.ToString().Replace("limit=5", "limit=6", StringComparison.Ordinal)))).SetName("query value changed");
        yield return new TestCaseData(new Action<HttpRequestMessage>(r =>
            r.RequestUri = new Uri(r.RequestUri + "&offset=1"))).SetName("query parameter added");
        yield return new TestCaseData(new Action<HttpRequestMessage>(r => Replace(r, "X-Project-Id", Project.Replace('a', 'b')))).SetName("signed header changed");
        yield return new TestCaseData(new Action<HttpRequestMessage>(r =>
            Replace(r, "X-Sdk-Date", TestEnvironment.Clock.GetUtcNow().AddSeconds(1).ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)))).SetName("date changed");
        yield return new TestCaseData(new Action<HttpRequestMessage>(r =>
        {
            var authorization = r.Headers.GetValues("Authorization").Single();
            Replace(r, "Authorization", authorization[..^1] + (authorization[^1] == '0' ? '1' : '0'));
        })).SetName("signature changed");
    }

    [TestCaseSource(nameof(Tampering))]
    public async Task Changing_any_signed_part_after_signing_is_a_401(Action<HttpRequestMessage> tamper)
    {
        using var client = Signed(tamper: tamper);

        using var response = await client.GetAsync($"/v1/{Project}/images/group?limit=5");

        await AssertUnauthorizedAsync(response, "ModelArts.0203");
    }

    [Test]
    public async Task Changing_the_body_after_signing_is_a_401_and_nothing_is_stored()
    {
        using var client = Signed(tamper: r => r.Content = JsonContent.Create(new { swr_path = "swr.example.com/evil/app:1" }));

        using var response = await client.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = "swr.example.com/team/app:1" }, Wire.Json);

        await AssertUnauthorizedAsync(response, "ModelArts.0203");
        Assert.That(await CountRowsAsync("images"), Is.Zero);
    }

    [Test]
    public async Task An_unknown_access_key_is_a_401()
    {
        using var client = TestEnvironment.Factory.CreateDefaultClient(
            new SdkSigningHandler("NOBODY", "secret-NOBODY", TestEnvironment.Clock.GetUtcNow));

        using var response = await client.GetAsync($"/v1/{Project}/images/group");

        await AssertUnauthorizedAsync(response, "ModelArts.0203");
    }

    [Test]
    public async Task A_wrong_secret_key_is_a_401()
    {
        using var client = TestEnvironment.Factory.CreateDefaultClient(
            new SdkSigningHandler("OPERATOR-ALL", "not-the-secret", TestEnvironment.Clock.GetUtcNow));

        using var response = await client.GetAsync($"/v1/{Project}/images/group");

        await AssertUnauthorizedAsync(response, "ModelArts.0203");
    }

    [TestCase(-16)]
    [TestCase(16)]
    [TestCase(-600)]
    public async Task A_date_outside_the_15_minute_window_is_a_401_0202(int minutes)
    {
        using var client = TestEnvironment.Factory.CreateDefaultClient(
            new SdkSigningHandler("OPERATOR-ALL", "secret-OPERATOR-ALL", () => TestEnvironment.Clock.GetUtcNow().AddMinutes(minutes)));

        using var response = await client.GetAsync($"/v1/{Project}/images/group");

        await AssertUnauthorizedAsync(response, "ModelArts.0202");
    }

    [TestCase(-14)]
    [TestCase(14)]
    public async Task A_date_inside_the_window_is_accepted(int minutes)
    {
        using var client = TestEnvironment.Factory.CreateDefaultClient(
            new SdkSigningHandler("OPERATOR-ALL", "secret-OPERATOR-ALL", () => TestEnvironment.Clock.GetUtcNow().AddMinutes(minutes)));

        using var response = await client.GetAsync($"/v1/{Project}/images/group");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_signature_for_one_project_replayed_on_another_projects_path_is_refused()
    {
        var other = Project.Replace('a', 'c');
        // Signed for project A, then sent to the other project's path.
        using var replayed = Signed("WRITER-A", tamper: r => r.RequestUri = new Uri(r.RequestUri!.ToString().Replace(Project, other, StringComparison.Ordinal)));

        using var response = await replayed.GetAsync($"/v1/{Project}/images/group");

        await AssertUnauthorizedAsync(response, "ModelArts.0203");
    }

    [TestCase(null, "ModelArts.0205")]
    [TestCase("Basic dXNlcjpwYXNz", "ModelArts.0206")]
    [TestCase("SDK-HMAC-SHA256 Access=OPERATOR-ALL", "ModelArts.0206")]
    [TestCase("SDK-HMAC-SHA256 Access=OPERATOR-ALL, SignedHeaders=host;x-sdk-date, Signature=nothex", "ModelArts.0206")]
    [TestCase("SDK-HMAC-SHA256 Access=OPERATOR-ALL, SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000", "ModelArts.0206")]
    [TestCase("SDK-HMAC-SHA256 Access=OPERATOR-ALL, SignedHeaders=x-sdk-date;host, Signature=0000000000000000000000000000000000000000000000000000000000000000", "ModelArts.0206")]
    public async Task Missing_or_malformed_credentials_are_a_401_with_the_contracts_code(string? authorization, string code)
    {
        using var client = TestEnvironment.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{Project}/images/group");
        request.Headers.Add("X-Sdk-Date", TestEnvironment.Clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        await AssertUnauthorizedAsync(response, code);
    }

    [Test]
    public async Task Credentials_are_checked_before_parameters()
    {
        using var client = TestEnvironment.Factory.CreateClient();

        using var response = await client.GetAsync($"/v1/{Project}/images/group?limit=abc&name=UPPER");

        await AssertUnauthorizedAsync(response, "ModelArts.0205");
    }

    [Test]
    public async Task The_openapi_document_needs_no_credentials()
    {
        using var client = TestEnvironment.Factory.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static void Replace(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string code)
    {
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, code);
        Assert.That(response.Headers.WwwAuthenticate.Select(value => value.Scheme), Does.Contain("SDK-HMAC-SHA256"));
    }
}
