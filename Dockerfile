# syntax=docker/dockerfile:1
# OrleansSpotify: one container, the silo and the web API co-hosted, SQLite in /data.
# Build:  docker build -t orleans-spotify .
# Run:    docker run -p 5080:5080 -v orleans-spotify-data:/data --env-file .env orleans-spotify

# The dashboard (React + Vite): built once, on the build machine's platform; its output is plain files.
FROM --platform=$BUILDPLATFORM node:20-bookworm-slim AS web
WORKDIR /web
COPY src/OrleansSpotify.Web/package.json src/OrleansSpotify.Web/package-lock.json ./
COPY src/OrleansSpotify.Web/tools/api-types/package.json ./tools/api-types/
RUN npm ci --no-audit --no-fund
COPY src/OrleansSpotify.Web/ ./
RUN npm run build

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG TARGETARCH
WORKDIR /src

# Restore in its own layer: it changes only when a project file or the package versions change.
COPY global.json Directory.Build.props Directory.Packages.props schema.sql ./
COPY src/OrleansSpotify.Abstractions/*.csproj src/OrleansSpotify.Abstractions/
COPY src/OrleansSpotify.Spotify/*.csproj src/OrleansSpotify.Spotify/
COPY src/OrleansSpotify.Storage/*.csproj src/OrleansSpotify.Storage/
COPY src/OrleansSpotify.Import/*.csproj src/OrleansSpotify.Import/
COPY src/OrleansSpotify.FakeSpotify/*.csproj src/OrleansSpotify.FakeSpotify/
COPY src/OrleansSpotify.Grains/*.csproj src/OrleansSpotify.Grains/
COPY src/OrleansSpotify.Host/*.csproj src/OrleansSpotify.Host/
RUN dotnet restore src/OrleansSpotify.Host/OrleansSpotify.Host.csproj -a $TARGETARCH

COPY src/ src/
# The SDK image has no Node.js: the publish copies the web stage's dist into wwwroot instead of running npm.
COPY --from=web /web/dist src/OrleansSpotify.Web/dist
RUN dotnet publish src/OrleansSpotify.Host/OrleansSpotify.Host.csproj -a $TARGETARCH --no-restore -c Release -o /app -p:WebBuild=false \
    && mkdir -p /data

# -extra: ICU and tzdata (time zones for stats). Chiseled: no shell, no package manager, non-root by default.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS runtime
WORKDIR /app
COPY --link --from=build /app .
COPY --link --from=build --chown=$APP_UID:$APP_UID /data /data

# The port inside the container; ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS given at `docker run` override it.
ENV ASPNETCORE_URLS=http://+:5080 \
    Storage__DataDirectory=/data \
    DOTNET_gcServer=0
EXPOSE 5080
VOLUME /data
USER $APP_UID
ENTRYPOINT ["dotnet", "OrleansSpotify.Host.dll"]
