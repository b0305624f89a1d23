using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Secrets;

/// <summary>
/// The key ring's files in <c>{DataDirectory}/keys</c>, kept owner-only: the directory 0700 and every key file 0600
/// whatever the umask (Data Protection's own repository creates them with the process's default mode).
/// </summary>
public sealed class PrivateKeyRepository : IXmlRepository
{
    private readonly string _directory;
    private readonly FileSystemXmlRepository _inner;

    public PrivateKeyRepository(string directory, ILoggerFactory loggerFactory)
    {
        _directory = directory;
        PrivateFiles.TightenDirectory(directory);
        _inner = new FileSystemXmlRepository(new DirectoryInfo(directory), loggerFactory);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _inner.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _inner.StoreElement(element, friendlyName);
        PrivateFiles.TightenDirectory(_directory);
    }
}
