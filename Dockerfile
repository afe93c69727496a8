# One image for the case worker and the API (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev --ignore-scripts && npm install --no-save tsx@4.23.15
COPY . .
USER node
ENV NODE_ENV=production
CMD ["npx", "tsx", "api/server.ts"]
