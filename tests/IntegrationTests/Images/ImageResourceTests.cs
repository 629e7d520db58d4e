using System.Net;
using System.Net.Http.Json;
using System.Text;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Images;

/// <summary>ShowImage and DeleteImage (CONTRACT.md section 2) through the real pipeline and PostgreSQL.</summary>
public sealed class ImageResourceTests : ApiTest
{
    [Test]
    public async Task Show_answers_the_image_as_registered()
    {
        var project = NewProjectId();
        var registered = await RegisterAsync(project, "swr.example.com/team/app:1", workspaceId: "0123456789abcdef0123456789abcdef");

        var shown = await Client.GetFromJsonAsync<Image>($"/v1/{project}/images/{registered.Id}", Wire.Json);

        Assert.That(shown, Is.EqualTo(registered).UsingPropertiesComparer());
    }

    [Test]
    public async Task Show_finds_built_in_images_from_any_project()
    {
        var builtIn = await RegisterAsync(NewProjectId(), "swr.example.com/platform/tf:2", type: "BUILD_IN");

        using var response = await Client.GetAsync($"/v1/{NewProjectId()}/images/{builtIn.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Show_and_delete_of_another_projects_image_are_404_and_change_nothing()
    {
        var owner = NewProjectId();
        var image = await RegisterAsync(owner, "swr.example.com/team/app:1");
        var stranger = NewProjectId();

        using var show = await Client.GetAsync($"/v1/{stranger}/images/{image.Id}");
        using var delete = await Client.DeleteAsync($"/v1/{stranger}/images/{image.Id}");

        await AssertErrorAsync(show, HttpStatusCode.NotFound, "ModelArts.6404");
        await AssertErrorAsync(delete, HttpStatusCode.NotFound, "ModelArts.6404");
        Assert.That((await GetGroupsAsync(owner)).Data.Single().VersionCount, Is.EqualTo(1));
    }

    [TestCase("GET")]
    [TestCase("DELETE")]
    public async Task An_id_that_does_not_exist_is_a_404(string method)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/{NewProjectId()}/images/{Guid.NewGuid()}"));

        await AssertErrorAsync(response, HttpStatusCode.NotFound, "ModelArts.6404");
    }

    [TestCase("GET", "not-a-uuid")]
    [TestCase("GET", "3f2504e04f8941d39a0c0305e82c3301")]
    [TestCase("GET", "%7B3f2504e0-4f89-41d3-9a0c-0305e82c3301%7D")]
    [TestCase("DELETE", "1")]
    [TestCase("DELETE", "group")]
    public async Task A_malformed_id_is_a_400_naming_it(string method, string id)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/{NewProjectId()}/images/{id}"));

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.StartWith("Invalid parameter 'id': "));
    }

    [Test]
    public async Task Delete_answers_the_image_with_status_deleted_and_it_is_gone()
    {
        var project = NewProjectId();
        var image = await RegisterAsync(project, "swr.example.com/team/app:1");

        using var response = await Client.DeleteAsync($"/v1/{project}/images/{image.Id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var deleted = (await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!;
        Assert.That(deleted, Is.EqualTo(image with { Status = "DELETED" }).UsingPropertiesComparer());
        using var again = await Client.GetAsync($"/v1/{project}/images/{image.Id}");
        await AssertErrorAsync(again, HttpStatusCode.NotFound, "ModelArts.6404");
    }

    [Test]
    public async Task Deleting_a_version_refreshes_its_group_and_the_last_one_removes_it()
    {
        var project = NewProjectId();
        var first = await RegisterAsync(project, "swr.example.com/team/app:1");
        Tick();
        var second = await RegisterAsync(project, "swr.example.com/team/app:2");
        Tick();
        var third = await RegisterAsync(project, "swr.example.com/team/app:3");

        (await Client.DeleteAsync($"/v1/{project}/images/{third.Id}")).Dispose();
        var afterLatest = (await GetGroupsAsync(project)).Data.Single();
        (await Client.DeleteAsync($"/v1/{project}/images/{first.Id}")).Dispose();
        var afterEarliest = (await GetGroupsAsync(project)).Data.Single();
        (await Client.DeleteAsync($"/v1/{project}/images/{second.Id}")).Dispose();
        var afterLast = await GetGroupsAsync(project);

        Assert.Multiple(() =>
        {
            Assert.That(afterLatest.VersionCount, Is.EqualTo(2));
            Assert.That(afterLatest.UpdateAt, Is.EqualTo(second.UpdateAt));
            Assert.That(afterLatest.CreateAt, Is.EqualTo(first.CreateAt));
            Assert.That(afterEarliest.VersionCount, Is.EqualTo(1));
            Assert.That(afterEarliest.CreateAt, Is.EqualTo(second.CreateAt));
            Assert.That(afterLast.Total, Is.Zero);
        });
        Assert.That(await CountRowsAsync("image_groups"), Is.Zero);
    }

    [Test]
    public async Task A_built_in_image_cannot_be_deleted_by_a_writer_but_by_an_operator()
    {
        var builtIn = await RegisterAsync(NewProjectId(), "swr.example.com/platform/tf:2", type: "BUILD_IN");
        using var writer = TestEnvironment.Factory.CreateSignedClient("WRITER-ALL");

        using var refused = await writer.DeleteAsync($"/v1/{NewProjectId()}/images/{builtIn.Id}");
        await AssertErrorAsync(refused, HttpStatusCode.Forbidden, "ModelArts.0108");
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(1));

        using var accepted = await Client.DeleteAsync($"/v1/{NewProjectId()}/images/{builtIn.Id}");
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await CountRowsAsync("image_groups"), Is.Zero);
    }

    [TestCase("?force=true", null)]
    [TestCase("?force=FALSE", null)]
    [TestCase("", "{\"is_force\": true}")]
    [TestCase("?force=true", "{\"is_force\": false}")]
    public async Task Delete_accepts_the_force_flags(string query, string? body)
    {
        var project = NewProjectId();
        var image = await RegisterAsync(project, "swr.example.com/team/app:1");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/{project}/images/{image.Id}{query}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase("?force=yes", null, "ModelArts.0101")]
    [TestCase("", "{\"is_force\": \"yes\"}", "ModelArts.6400")]
    [TestCase("", "{not json", "ModelArts.6400")]
    public async Task Delete_rejects_malformed_force_flags_and_keeps_the_image(string query, string? body, string code)
    {
        var project = NewProjectId();
        var image = await RegisterAsync(project, "swr.example.com/team/app:1");
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/v1/{project}/images/{image.Id}{query}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, code);
        Assert.That(await CountRowsAsync("images"), Is.EqualTo(1));
    }
}
