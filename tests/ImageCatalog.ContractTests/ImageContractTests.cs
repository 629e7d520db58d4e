using System.Net;
using System.Text;
using ImageCatalog.Client;
using static ImageCatalog.ContractTests.Contract;

namespace ImageCatalog.ContractTests;

/// <summary>RegisterImage, ListImage, ShowImage and DeleteImage (CONTRACT.md section 2).</summary>
public sealed class ImageContractTests
{
    private static ImageCatalogClient Client => ContractTarget.Client;

    [Test]
    public async Task Register_answers_the_image_that_show_then_answers()
    {
        var project = ContractTarget.NewProject();

        var image = await Client.RegisterImageAsync(project, new RegisterImageRequest("swr.example.com/team-a/app:1.0")
        {
            Description = "first",
            ServiceType = "TRAIN",
            Tags = ["gpu"],
        });
        var shown = await Client.ShowImageAsync(project, image.Id, strongRead: true);

        Assert.Multiple(() =>
        {
            Assert.That((image.Namespace, image.Name, image.Tag), Is.EqualTo(("team-a", "app", "1.0")));
            Assert.That((image.Type, image.Status, image.WorkspaceId, image.ServiceType), Is.EqualTo(("DEDICATED", "ACTIVE", "0", "TRAIN")));
            Assert.That(image.Description, Is.EqualTo("first"));
            Assert.That(image.Tags, Is.EqualTo(new[] { "gpu" }));
            Assert.That(shown, Is.EqualTo(image).Using<Image>((a, b) => a.Id == b.Id && a.SwrPath == b.SwrPath && a.CreateAt == b.CreateAt));
        });
    }

    [Test]
    public async Task The_same_swr_path_twice_is_a_409()
    {
        var project = ContractTarget.NewProject();
        await RegisterAsync(project, "swr.example.com/team/app:1");

        AssertFails(() => RegisterAsync(project, "swr.example.com/team/app:1"), HttpStatusCode.Conflict, "ModelArts.6409");
    }

    [Test]
    public async Task With_an_idempotency_key_a_repeat_gets_the_first_answer_and_another_body_a_422()
    {
        var project = ContractTarget.NewProject();
        var key = Guid.NewGuid().ToString();

        var first = await Client.RegisterImageAsync(project, new RegisterImageRequest("swr.example.com/team/app:1"), key);
        var again = await Client.RegisterImageAsync(project, new RegisterImageRequest("swr.example.com/team/app:1"), key);

        Assert.That(again.Id, Is.EqualTo(first.Id));
        AssertFails(
            () => Client.RegisterImageAsync(project, new RegisterImageRequest("swr.example.com/team/app:2"), key),
            (HttpStatusCode)422,
            "ModelArts.6422");
        Assert.That((await Client.ListImagesAsync(project, new ImageQuery { Type = "DEDICATED", StrongRead = true })).Total, Is.EqualTo(1));
    }

    [TestCase("""{"swr_path": "not a path"}""", "application/json", 400, "ModelArts.0101")]
    [TestCase("""{"swr_path": "swr.example.com/team/app:1", "service_type": "NOT_A_TYPE"}""", "application/json", 400, "ModelArts.6400")]
    [TestCase("""{"swr_path": 42}""", "application/json", 400, "ModelArts.6400")]
    [TestCase("""{"swr_path": "swr.example.com/team/app:1" """, "application/json", 400, "ModelArts.6400")]
    [TestCase("""{}""", "application/json", 400, "ModelArts.0101")]
    [TestCase("""swr_path=swr.example.com/team/app:1""", "application/x-www-form-urlencoded", 415, "ModelArts.6415")]
    public async Task A_register_body_that_breaks_the_contract_is_refused_and_nothing_is_registered(
        string body, string contentType, int status, string errorCode)
    {
        var project = ContractTarget.NewProject();

        using var response = await ContractTarget.Http.PostAsync($"v1/{project}/images", new StringContent(body, Encoding.UTF8, contentType));

        await AssertErrorAsync(response, (HttpStatusCode)status, errorCode);
        Assert.That((await Client.ListImagesAsync(project, new ImageQuery { Type = "DEDICATED", StrongRead = true })).Total, Is.Zero);
    }

    [Test]
    public async Task List_filters_sorts_and_pages_the_versions()
    {
        var project = ContractTarget.NewProject();
        await Client.RegisterImageAsync(project, new RegisterImageRequest("swr.example.com/team-a/beta:2") { ServiceType = "TRAIN" });
        await Client.RegisterImageAsync(project, new RegisterImageRequest("swr.example.com/team-a/alpha:1") { ServiceType = "INFERENCE" });
        await Client.RegisterImageAsync(project, new RegisterImageRequest("swr.example.com/team-b/beta:1") { ServiceType = "TRAIN" });

        var byName = await Client.ListImagesAsync(project, new ImageQuery { Type = "DEDICATED", SortKey = "name,tag", SortDir = "ASC", StrongRead = true });
        var train = await Client.ListImagesAsync(project, new ImageQuery { ServiceType = "TRAIN", Type = "DEDICATED", StrongRead = true });
        var teamA = await Client.ListImagesAsync(project, new ImageQuery { Namespace = "team-a", Limit = 1, Offset = 1, StrongRead = true });

        Assert.Multiple(() =>
        {
            Assert.That(byName.Data.Select(image => $"{image.Name}:{image.Tag}"), Is.EqualTo(new[] { "alpha:1", "beta:1", "beta:2" }));
            Assert.That(train.Data.Select(image => image.SwrPath), Is.EquivalentTo(new[] { "swr.example.com/team-a/beta:2", "swr.example.com/team-b/beta:1" }));
            Assert.That((teamA.Total, teamA.Size, teamA.Current, teamA.Pages), Is.EqualTo((2L, 1, 2, 2)));
        });
    }

    [TestCase("limit=0")]
    [TestCase("offset=x")]
    [TestCase("service_type=ROBOT")]
    [TestCase("sort_dir=SIDEWAYS")]
    [TestCase("type=OTHER&type=BUILD_IN")]
    public async Task A_list_parameter_that_breaks_a_rule_is_a_400_naming_it(string query)
    {
        using var response = await ContractTarget.Http.GetAsync($"v1/{ContractTarget.NewProject()}/images?{query}");

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain(query.Split('=')[0]));
    }

    [Test]
    public async Task The_delete_flag_is_accepted_and_a_malformed_one_is_a_400()
    {
        var project = ContractTarget.NewProject();
        var image = await RegisterAsync(project, "swr.example.com/team/app:1");

        using var malformed = await ContractTarget.Http.DeleteAsync($"v1/{project}/images/{image.Id}?force=perhaps");
        await AssertErrorAsync(malformed, HttpStatusCode.BadRequest, "ModelArts.0101");
        var deleted = await Client.DeleteImageAsync(project, image.Id, force: true);

        Assert.That(deleted.Status, Is.EqualTo("DELETED"));
    }

    [TestCase("sort_key=size")]
    [TestCase("sort_key=name,name")]
    public async Task An_unknown_or_repeated_sort_key_is_a_400(string query)
    {
        using var response = await ContractTarget.Http.GetAsync($"v1/{ContractTarget.NewProject()}/images?{query}");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.6303");
    }

    [Test]
    public async Task Delete_answers_the_image_as_deleted_and_it_is_gone()
    {
        var project = ContractTarget.NewProject();
        var image = await RegisterAsync(project, "swr.example.com/team/app:1");
        await RegisterAsync(project, "swr.example.com/team/app:2");

        var deleted = await Client.DeleteImageAsync(project, image.Id);

        Assert.That((deleted.Id, deleted.Status), Is.EqualTo((image.Id, "DELETED")));
        AssertFails(() => Client.ShowImageAsync(project, image.Id, strongRead: true), HttpStatusCode.NotFound, "ModelArts.6404");
        AssertFails(() => Client.DeleteImageAsync(project, image.Id), HttpStatusCode.NotFound, "ModelArts.6404");
        Assert.That((await GroupsAsync(project)).Data.Single().VersionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Another_project_s_image_is_a_404()
    {
        var image = await RegisterAsync(ContractTarget.NewProject(), "swr.example.com/team/app:1");

        AssertFails(() => Client.ShowImageAsync(ContractTarget.NewProject(), image.Id, strongRead: true), HttpStatusCode.NotFound, "ModelArts.6404");
    }

    [TestCase("GET")]
    [TestCase("DELETE")]
    public async Task A_malformed_image_id_is_a_400(string method)
    {
        using var response = await ContractTarget.Http.SendAsync(
            new HttpRequestMessage(new HttpMethod(method), $"v1/{ContractTarget.NewProject()}/images/12345"));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
    }

    [Test]
    public async Task A_read_consistency_other_than_eventual_or_strong_is_a_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/{ContractTarget.NewProject()}/images");
        request.Headers.Add(ImageCatalogClient.ReadConsistencyHeader, "sometimes");

        using var response = await ContractTarget.Http.SendAsync(request);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ModelArts.0101");
        Assert.That(error.ErrorMsg, Does.Contain(ImageCatalogClient.ReadConsistencyHeader));
    }
}
