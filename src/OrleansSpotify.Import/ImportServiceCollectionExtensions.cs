using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansSpotify.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>
    /// Registers the file readers (<see cref="ExtendedHistoryReader"/>, <see cref="AccountDataReader"/>, and every other
    /// <see cref="IImportFormatReader"/> registered with <c>TryAddEnumerable</c>), <see cref="ImportReaders"/>, and
    /// <see cref="ImportLimits"/> bound from the <c>Import</c> section.
    /// </summary>
    public static IServiceCollection AddImportReading(this IServiceCollection services)
    {
        services.AddOptions<ImportLimits>().BindConfiguration(ImportLimits.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IImportFormatReader, ExtendedHistoryReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IImportFormatReader, AccountDataReader>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IImportFormatReader, OwnFormat.OrleansSpotifyExportReader>());
        services.TryAddSingleton<ImportReaders>();
        return services;
    }
}
