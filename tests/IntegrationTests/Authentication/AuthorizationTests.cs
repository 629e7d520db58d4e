using System.Net;
using System.Net.Http.Json;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Authentication;

/// <summary>Projects and roles: reader lists and shows, writer also writes its projects, only operator writes built-ins.</summary>
public sealed class AuthorizationTests : ApiTest
{
    private const string Project = ImageCatalogFactory.ProjectA;
    private static readonly string OtherProject = Project.Replace('a', 'b');

    [TestCase("READER-A", "GET", 200)]
    [TestCase("READER-A", "POST", 403)]
    [TestCase("READER-A", "DELETE", 403)]
    [TestCase("READER-A", "PUT", 403)]
    [TestCase("WRITER-A", "GET", 200)]
    [TestCase("WRITER-A", "POST", 201)]
    [TestCase("WRITER-A", "DELETE", 200)]
    [TestCase("WRITER-A", "PUT", 204)]
    [TestCase("NOROLE-A", "GET", 403)]
    public async Task Each_role_boundary_holds(string accessKey, string operation, int expected)
    {
        var image = await RegisterAsync(Project, "swr.example.com/team/app:1");
        var group = (await GetGroupsAsync(Project)).Data.Single();
        using var client = TestEnvironment.Factory.CreateSignedClient(accessKey);

        using var response = operation switch
        {
            "GET" => await client.GetAsync($"/v1/{Project}/images/{image.Id}"),
            "POST" => await client.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = "swr.example.com/team/app:2" }, Wire.Json),
            "DELETE" => await client.DeleteAsync($"/v1/{Project}/images/{image.Id}"),
            _ => await client.PutAsJsonAsync($"/v1/{Project}/images/group/{group.Id}", new { read_me = "x" }, Wire.Json),
        };

        Assert.That((int)response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        if (expected == 403)
        {
            await AssertErrorAsync(response, HttpStatusCode.Forbidden, "ModelArts.0108");
        }
    }

    [TestCase("READER-A")]
    [TestCase("WRITER-A")]
    public async Task A_key_for_project_A_gets_403_0210_on_project_B(string accessKey)
    {
        using var client = TestEnvironment.Factory.CreateSignedClient(accessKey);

        using var response = await client.GetAsync($"/v1/{OtherProject}/images/group");

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "ModelArts.0210");
    }

    [Test]
    public async Task An_x_project_id_that_differs_from_the_path_is_403_0210()
    {
        using var client = TestEnvironment.Factory.CreateSignedClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{Project}/images/group");
        request.Headers.Add("X-Project-Id", OtherProject);

        using var response = await client.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "ModelArts.0210");
    }

    [Test]
    public async Task Only_an_operator_registers_a_built_in_image()
    {
        using var writer = TestEnvironment.Factory.CreateSignedClient("WRITER-ALL");

        using var refused = await writer.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = "swr.example.com/platform/tf:1", type = "BUILD_IN" }, Wire.Json);
        using var accepted = await Client.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = "swr.example.com/platform/tf:1", type = "BUILD_IN" }, Wire.Json);

        await AssertErrorAsync(refused, HttpStatusCode.Forbidden, "ModelArts.0108");
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_reader_sees_built_in_images_but_cannot_delete_them()
    {
        var builtIn = await RegisterAsync(OtherProject, "swr.example.com/platform/tf:1", type: "BUILD_IN");
        using var reader = TestEnvironment.Factory.CreateSignedClient("READER-A");

        using var show = await reader.GetAsync($"/v1/{Project}/images/{builtIn.Id}");
        using var delete = await reader.DeleteAsync($"/v1/{Project}/images/{builtIn.Id}");

        Assert.That(show.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(delete, HttpStatusCode.Forbidden, "ModelArts.0108");
    }
}
