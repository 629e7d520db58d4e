using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Http;

/// <summary>
/// X-Read-Consistency on the three reads: each spelling of its two values is served (this service has no replicas, so
/// both read the primary; ReadReplicaTests shows the difference), anything else is the contract's 400 naming the header.
/// </summary>
public sealed class ReadConsistencyHeaderTests : ApiTest
{
    private static readonly string[] Reads = ["images/group", "images", "images/{id}"];

    [Test]
    public async Task Both_values_in_any_case_are_served_alike(
        [ValueSource(nameof(Reads))] string read, [Values("EVENTUAL", "strong", " Strong ")] string value)
    {
        var project = NewProjectId();
        var image = await RegisterAsync(project, "swr.example.com/team/consistent:1");
        var path = $"/v1/{project}/{read.Replace("{id}", image.Id.ToString(), StringComparison.Ordinal)}";

        using var plain = await Client.GetAsync(path);
        using var withHeader = await SendAsync(path, value);

        Assert.That(withHeader.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await withHeader.Content.ReadAsStringAsync(), Is.EqualTo(await plain.Content.ReadAsStringAsync()));
    }

    [Test]
    public async Task Another_value_or_the_header_twice_is_a_400_naming_it(
        [ValueSource(nameof(Reads))] string read,
        [Values("none", "primary", "strong, eventual", "STRONG' OR 1=1 --", "ＳＴＲＯＮＧ", "STRONG|EVENTUAL")] string value)
    {
        var path = $"/v1/{NewProjectId()}/{read.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)}";

        using var response = await SendAsync(path, value);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain("X-Read-Consistency"));
    }

    [Test]
    public async Task The_header_given_twice_is_a_400_naming_it([ValueSource(nameof(Reads))] string read)
    {
        var path = $"/v1/{NewProjectId()}/{read.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)}";

        using var response = await SendAsync(path, "STRONG", "STRONG");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain("X-Read-Consistency").And.Contain("once"));
    }

    private async Task<HttpResponseMessage> SendAsync(string path, params string[] values)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Read-Consistency", values);
        return await Client.SendAsync(request);
    }
}
