using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Http;

/// <summary>CONTRACT.md section 5: every failure has the JSON error body and an X-Request-Id.</summary>
public sealed class ErrorContractTests : ApiTest
{
    [TestCase("/")]
    [TestCase("/v1")]
    [TestCase("/v1/p/images/group/extra/segments")]
    [TestCase("/v2/p/images/group")]
    public async Task An_unknown_route_is_a_404_with_the_error_body(string path)
    {
        using var response = await Client.GetAsync(path);

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ModelArts.6404");
    }

    [Test]
    public async Task A_method_the_route_does_not_have_is_a_405_with_the_error_body()
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/v1/{NewProjectId()}/images/group"));

        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "ModelArts.6405");
    }

    [Test]
    public async Task A_sane_request_id_is_echoed_on_success_and_on_error()
    {
        using var ok = new HttpRequestMessage(HttpMethod.Get, $"/v1/{NewProjectId()}/images/group");
        ok.Headers.Add("X-Request-Id", "gateway-7f3a:1.2_x");
        using var bad = new HttpRequestMessage(HttpMethod.Get, $"/v1/{NewProjectId()}/images/group?limit=0");
        bad.Headers.Add("X-Request-Id", "gateway-7f3a:1.2_y");

        using var okResponse = await Client.SendAsync(ok);
        using var badResponse = await Client.SendAsync(bad);

        Assert.That(okResponse.Headers.GetValues("X-Request-Id").Single(), Is.EqualTo("gateway-7f3a:1.2_x"));
        var error = await AssertErrorAsync(badResponse, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.RequestId, Is.EqualTo("gateway-7f3a:1.2_y"));
    }

    [TestCase("has spaces in it")]
    [TestCase("semi;colon")]
    [TestCase("<script>")]
    public async Task An_unsafe_request_id_is_replaced_by_a_new_one(string given)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{NewProjectId()}/images/group");
        request.Headers.TryAddWithoutValidation("X-Request-Id", given);

        using var response = await Client.SendAsync(request);

        var returned = response.Headers.GetValues("X-Request-Id").Single();
        Assert.That(returned, Is.Not.EqualTo(given));
        Assert.That(returned, Does.Match("^[0-9a-f]{32}$"));
    }

    [Test]
    public async Task A_too_long_request_id_is_replaced_and_each_request_gets_its_own()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{NewProjectId()}/images/group");
        request.Headers.Add("X-Request-Id", new string('a', 129));

        using var first = await Client.SendAsync(request);
        using var second = await Client.GetAsync($"/v1/{NewProjectId()}/images/group");

        var firstId = first.Headers.GetValues("X-Request-Id").Single();
        Assert.That(firstId, Has.Length.EqualTo(32));
        Assert.That(second.Headers.GetValues("X-Request-Id").Single(), Is.Not.EqualTo(firstId));
    }

    [Test]
    public async Task Success_is_json_with_utf8()
    {
        using var response = await GetGroupsResponseAsync(NewProjectId());

        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/json; charset=utf-8"));
    }

    [Test]
    public async Task A_body_that_is_not_text_in_its_declared_charset_is_a_400_not_a_500()
    {
        // Three bytes cannot be UTF-16; the JSON reader's decoder throws before any JSON is read. The hostile-input
        // suite found this as a 500.
        var content = new ByteArrayContent("{}}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");

        using var response = await Client.PostAsync($"/v1/{NewProjectId()}/images", content);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.6400");
        Assert.That(await CountRowsAsync("images"), Is.Zero);
    }

    [Test]
    public async Task A_valid_utf16_body_is_read()
    {
        var content = new ByteArrayContent(System.Text.Encoding.Unicode.GetBytes("""{"swr_path": "swr.example.com/team/app:1"}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");

        using var response = await Client.PostAsync($"/v1/{NewProjectId()}/images", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Text_with_a_nul_character_is_a_400_naming_the_field_not_a_500()
    {
        // PostgreSQL's text cannot hold U+0000; the hostile-input suite found this as a 500.
        var project = NewProjectId();
        using var register = await PostRawAsync(project, """{"swr_path": "swr.example.com/team/app:1", "description": "a\u0000b"}""");
        var image = await RegisterAsync(project, "swr.example.com/team/app:2");
        var group = (await GetGroupsAsync(project)).Data.Single();
        using var edit = await Client.PutAsync(
            $"/v1/{project}/images/group/{group.Id}",
            new StringContent("""{"tags": [{"key": "k\u0000", "value": "v"}]}""", System.Text.Encoding.UTF8, "application/json"));

        var registerError = await AssertErrorAsync(register, HttpStatusCode.BadRequest, "ModelArts.0101");
        var editError = await AssertErrorAsync(edit, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(registerError.ErrorMsg, Does.Contain("'description'").And.Contain("NUL"));
        Assert.That(editError.ErrorMsg, Does.Contain("tags[0].key").And.Contain("NUL"));
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(1), $"only {image.SwrPath}");
    }
}
