using System.Text.Json;
using System.Text.Json.Serialization;
using ImageCatalog.Api.Authentication;
using ImageCatalog.Api.Health;
using ImageCatalog.Api.Http;
using ImageCatalog.Api.OpenApi;
using ImageCatalog.Api.Telemetry;
using ImageCatalog.Application.Common.Behaviours;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Infrastructure.ImageGroups;
using ImageCatalog.Infrastructure.Resilience;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Scalar.AspNetCore;

namespace ImageCatalog.Api;

public static class DependencyInjection
{
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediator(options =>
        {
            // Handlers and behaviours hold no per-request state; validators are singletons too (AddApplication).
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.Assemblies = [typeof(GetImageGroupsQuery), typeof(GetImageGroupsHandler)];
            // First is outermost: telemetry also sees the messages that validation turns away; only the handler is retried.
            options.PipelineBehaviors = [typeof(TelemetryBehaviour<,>), typeof(ValidationBehaviour<,>), typeof(TransientReadRetryBehaviour<,>)];
        });

        services
            .AddControllers(options =>
            {
                // Rules live in the validators; MVC must not invent "required" errors from nullability.
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                // Actions bind route values and bodies only; query strings are read by StrictQueryString. Without
                // the query and form providers MVC no longer builds them for every request (docs/performance.md).
                options.ValueProviderFactories.RemoveType<QueryStringValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
                foreach (var filter in options.Filters.OfType<UnsupportedContentTypeFilter>().ToList())
                {
                    options.Filters.Remove(filter);
                }

                options.Conventions.Add(new BodyValidationConvention());
            })
            .AddJsonOptions(options => ConfigureJson(options.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(options =>
            {
                // Bodiless status results get the contract's body from the status-code pages, never ProblemDetails.
                options.SuppressMapClientErrors = true;
                // BodyValidationConvention puts the automatic 400 on the actions that take a body only.
                options.SuppressModelStateInvalidFilter = true;
                options.InvalidModelStateResponseFactory = context => new BadRequestObjectResult(
                    ErrorResponse.Body(context.HttpContext, ErrorCodes.InvalidPayload, InvalidPayload.Describe(context.ModelState)))
                {
                    // The formatter adds the charset; a media type with one matches no formatter where no [Produces] narrows it.
                    ContentTypes = { "application/json" },
                };
            });

        // The OpenAPI generator reads the minimal-API JSON options, so they must match MVC's.
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions));
        services.AddContractOpenApi();
        services.AddContractAuthentication(configuration);
        services.AddCredentialRateLimits(configuration);
        services.AddOverloadProtection();
        services.AddServiceHealth();
        services.AddServiceTelemetry(configuration);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        // Answers the framework gives without a body (no route, wrong method, wrong media type) get the error body.
        app.UseStatusCodePages(context =>
        {
            var (code, message) = ErrorResponse.ForStatus(context.HttpContext.Response.StatusCode);
            return ErrorResponse.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode, code, message);
        });
        // Shed load before any other work is spent on a request (a 503 with the contract's body).
        app.UseOverloadProtection();
        // Credentials are checked before anything reads the request's parameters.
        app.UseContractAuthentication();
        // After authentication, so that the limit is per credential; before authorization and the handlers.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapControllers();
        app.MapOpenApi(OpenApiSetup.DocumentPath);
        app.MapScalarApiReference(OpenApiSetup.ReferencePath, options => options
            .WithTitle("ImageCatalog API")
            .WithOpenApiRoutePattern(OpenApiSetup.DocumentPath)
            .DisableDefaultFonts());
        app.MapServiceHealth();
        app.MapServiceMetrics();
        return app;
    }

    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // The web defaults read numbers from strings; the contract's numbers are numbers.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new WireEnumConverterFactory());
    }
}
