# gatewarden as a container image, for scheduled runs (docs/nightly.md#kubernetes):
#   docker build -t gatewarden .
#   docker run --rm -v "$PWD:/work" -w /work gatewarden scan . --history history.db
# The build stage compiles dist/ (TypeScript is a dev dependency); the image holds the production
# dependencies only, and runs as a user without privileges.
FROM node:20-slim AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin bin
COPY src src
COPY providers providers
RUN npm ci --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /opt/gatewarden
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own prepare script builds dist/, which comes from the build stage;
# better-sqlite3 (the history store) then gets its native binary with its own install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && npm cache clean --force \
 && ln -s /opt/gatewarden/bin/gatewarden.js /usr/local/bin/gatewarden
COPY bin bin
COPY policies policies
COPY docs docs
COPY --from=build /build/dist dist
RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin gatewarden \
 && mkdir /data && chown gatewarden /data
USER 10001
WORKDIR /data
ENTRYPOINT ["gatewarden"]
CMD ["--help"]
