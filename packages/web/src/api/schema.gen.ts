// Generated from the server's /openapi.json by `npm run api:types -w packages/web`. Do not edit.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the store answers a query */
        get: operations["getReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who you are: your user, how you signed in, your organisations and roles */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your pending invitations: organisations whose admin added you, until you accept or decline */
        get: operations["getMeInvitations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/invitations/{invitation}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Decline an invitation: it is withdrawn and the organisation gets no access to you */
        delete: operations["deleteMeInvitationsByInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/invitations/{invitation}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept an invitation: you become a member of that organisation with the role offered */
        post: operations["postMeInvitationsByInvitationAccept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set or change your password for the built-in sign-in, signed in as yourself (not with an API token); the current one is required when set, and guesses are throttled like sign-ins */
        put: operations["putMePassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the organisations you belong to (a token: its own) */
        get: operations["getOrgs"];
        put?: never;
        /** Create an organisation (admins of any organisation); you become its admin */
        post: operations["postOrgs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show an organisation and its settings */
        get: operations["getOrgsByOrg"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List audiences */
        get: operations["getAudiences"];
        put?: never;
        /** Create an audience (query, list or file) and write its first version */
        post: operations["postAudiences"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show an audience: definition, size history and what uses it */
        get: operations["getAudiencesById"];
        put?: never;
        post?: never;
        /** Delete an audience and its history */
        delete: operations["deleteAudiencesById"];
        options?: never;
        head?: never;
        /** Change the label, expiry or rule (a new rule writes a new version) */
        patch: operations["patchAudiencesById"];
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/{id}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Change log: members that entered or exited after version `since`, paged */
        get: operations["getAudiencesByIdChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the members as CSV, NDJSON or Parquet, plain or hashed for a destination profile */
        get: operations["getAudiencesByIdExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/{id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Members of a version (the current one by default), paged, searchable by identity prefix */
        get: operations["getAudiencesByIdMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/{id}/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-evaluate a query audience into a new version */
        post: operations["postAudiencesByIdRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/{id}/schedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A query audience's refresh schedule (null when none) and its next launches */
        get: operations["getAudiencesByIdSchedule"];
        /** Re-evaluate a query audience on a cron schedule in a time zone (replaces any schedule) */
        put: operations["putAudiencesByIdSchedule"];
        post?: never;
        /** Stop refreshing an audience on a schedule */
        delete: operations["deleteAudiencesByIdSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Versions with size, entered and exited counts, newest first */
        get: operations["getAudiencesByIdVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/overlap": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counts of every Venn region of two or three audiences */
        get: operations["getAudiencesOverlap"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audiences/upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a file audience from an uploaded list of e-mails or phones, one per line */
        post: operations["postAudiencesUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the audit log, newest first (admins) */
        get: operations["getAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List ingestion batches, newest first */
        get: operations["getBatches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/batches/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a batch and its report */
        get: operations["getBatchesById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/batches/{id}/rejects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the reject file of a batch (CSV: line, column, code, reason, raw) */
        get: operations["getBatchesByIdRejects"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaign-activities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every activity type with its options as JSON Schema (what the canvas forms are drawn from) */
        get: operations["getCampaignActivities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaign-runs/{run}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run found by its id alone (its `campaign` names the campaign) */
        get: operations["getCampaignRunsByRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List campaigns */
        get: operations["getCampaigns"];
        put?: never;
        /** Create a draft campaign */
        post: operations["postCampaigns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A campaign with its state and next launches */
        get: operations["getCampaignsById"];
        /** Replace a draft's definition */
        put: operations["putCampaignsById"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/activities/{activity}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Render a channel activity's message for one profile (nothing is sent) */
        post: operations["postCampaignsByIdActivitiesByActivityPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/activities/{activity}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a channel activity's message to test addresses, marked [Proof]; not in the delivery log */
        post: operations["postCampaignsByIdActivitiesByActivityProof"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Archive a campaign */
        post: operations["postCampaignsByIdArchive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a valid draft (read-only from then on) */
        post: operations["postCampaignsByIdPublish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/restart": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop the active run and start a new one */
        post: operations["postCampaignsByIdRestart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Run history, newest first */
        get: operations["getCampaignsByIdRuns"];
        put?: never;
        /** Start a run (test mode saves nothing); CAMPAIGN_ALREADY_RUNNING while one is active */
        post: operations["postCampaignsByIdRuns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run: state, tasks and transition counts */
        get: operations["getCampaignsByIdRunsByRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/activities/{activity}/confirm-send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a send paused for confirmation (CHANNEL_CONFIRMATION_REQUIRED) and resume the run */
        post: operations["postCampaignsByIdRunsByRunActivitiesByActivityConfirmSend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/activities/{activity}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per-recipient outcomes of a run's channel activity, by member, paged */
        get: operations["getCampaignsByIdRunsByRunActivitiesByActivityDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/activities/{activity}/delivery-report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counts of a run's channel activity by outcome, and of excluded recipients by reason */
        get: operations["getCampaignsByIdRunsByRunActivitiesByActivityDeliveryReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events of a run: `run` (the whole run: state, task statuses, transition counts) at once and after each change, `log` lines; ends when the run does (ADR 0019) */
        get: operations["getCampaignsByIdRunsByRunEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's log, oldest first, after event `after` */
        get: operations["getCampaignsByIdRunsByRunLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause now, or at an activity (a breakpoint) */
        post: operations["postCampaignsByIdRunsByRunPause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused run */
        post: operations["postCampaignsByIdRunsByRunResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a run */
        post: operations["postCampaignsByIdRunsByRunStop"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/runs/{run}/transitions/{transition}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Schema and first rows of the work table a transition carries */
        get: operations["getCampaignsByIdRunsByRunTransitionsByTransition"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/{id}/signal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a run through the campaign's Signal activity with its parameters; CAMPAIGN_BAD_PARAMETERS lists unknown, mistyped or missing ones */
        post: operations["postCampaignsByIdSignal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/schedule-preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a Scheduler activity's schedule in a time zone and list its next launches; nothing is saved */
        post: operations["postCampaignsSchedulePreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/campaigns/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate a campaign definition without saving it; lists every issue */
        post: operations["postCampaignsValidate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/channel-providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Channel providers of the org (settings never shown) */
        get: operations["getChannelProviders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/channel-providers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One channel provider: kind, dates and the names of its set settings */
        get: operations["getChannelProvidersById"];
        /** Create or replace a channel provider; its settings are write-only and sealed at rest */
        put: operations["putChannelProvidersById"];
        post?: never;
        /** Delete a channel provider and its sealed settings */
        delete: operations["deleteChannelProvidersById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List datasets with row counts */
        get: operations["getDatasets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/datasets/{table}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a dataset: counts, identity links, a sample */
        get: operations["getDatasetsByTable"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/datasets/{table}/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ingest a file (the request body) into a dataset as one atomic batch */
        post: operations["postDatasetsByTableBatches"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/expressions/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate an expression (docs/rules.md) over a table: every problem, with line and column when known */
        post: operations["postExpressionsValidate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the members of an organisation with their roles */
        get: operations["getMembers"];
        put?: never;
        /** Add a user (created when the e-mail is new) to an organisation with a role */
        post: operations["postMembers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/members/{user}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change a member's role */
        put: operations["putMembersByUser"];
        post?: never;
        /** Remove a member from an organisation and revoke their tokens there */
        delete: operations["deleteMembersByUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/members/{user}/disabled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Disable (or enable) a membership: the person and their tokens are refused in this organisation only */
        put: operations["putMembersByUserDisabled"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/members/{user}/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Give a member who has none a first password for the built-in sign-in (they change it with PUT /v1/me/password) */
        put: operations["putMembersByUserPassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/profiles/{id}/audiences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audiences a profile currently belongs to */
        get: operations["getProfilesByIdAudiences"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/rules/count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Count the rows a rule selects */
        post: operations["postRulesCount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/rules/distribution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The most frequent values of a field, with counts, among the rows a rule selects (or all rows) */
        post: operations["postRulesDistribution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/rules/explain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The embedded engine's plan for a rule */
        post: operations["postRulesExplain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/rules/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The keys of the first rows a rule selects */
        post: operations["postRulesPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/rules/sql": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The SQL a rule compiles to for one engine (the code view), with its bound parameters */
        post: operations["postRulesSql"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/rules/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate a rule against the schema: every issue at once, each with its JSON path */
        post: operations["postRulesValidate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/schemas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tables */
        get: operations["getSchemas"];
        put?: never;
        /** Apply a schema file (create tables, add fields; destructive changes need allowDestructive) */
        post: operations["postSchemas"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/schemas/{table}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a table */
        get: operations["getSchemasByTable"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/schemas/infer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Infer a table definition from an uploaded CSV, NDJSON or Parquet file (the body) */
        post: operations["postSchemasInfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/sharing/data-sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Data sources this org can use on the hub (keys never shown) */
        get: operations["getSharingDataSources"];
        put?: never;
        /** Create a data source on the hub; keys and IVs are write-only */
        post: operations["postSharingDataSources"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/sharing/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Export an audience to a shared audience (a sync job; fails with the job id in details) */
        post: operations["postSharingExports"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/sharing/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audiences fed by shared audiences, with the version each reflects */
        get: operations["getSharingImports"];
        put?: never;
        /** Import a shared audience into a new audience of type shared (or file, for encrypted contacts) */
        post: operations["postSharingImports"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/sharing/imports/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-import the current version of the shared audience feeding an audience */
        post: operations["postSharingImportsByIdSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/sharing/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sync jobs, newest first */
        get: operations["getSharingJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/sharing/jobs/{job}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One sync job with its counts, durations and error */
        get: operations["getSharingJobsByJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/sharing/jobs/{job}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download the report of a job (CSV: id, outcome, reason): unmatched, invalid and ambiguous IDs of an import, unmapped members of an export */
        get: operations["getSharingJobsByJobReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/sharing/shared-audiences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Shared audiences this org owns or that are shared with it */
        get: operations["getSharingSharedAudiences"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API tokens (an admin sees the org's, others their own); never the secrets */
        get: operations["getTokens"];
        put?: never;
        /** Create an API token for yourself (the secret is shown once) */
        post: operations["postTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orgs/{org}/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token (your own, or any as an admin); it stops working at once */
        delete: operations["deleteTokensById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A coded error (docs/errors.md) */
        Error: {
            error: {
                /** @description A stable code of docs/errors.md, e.g. AUDIENCE_NOT_FOUND */
                code: string;
                /** @description Facts about the error (per code) */
                details?: {
                    [key: string]: unknown;
                };
                /** @description What went wrong, for a person */
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description A coded error (docs/errors.md) */
        ErrorInput: {
            error: {
                /** @description A stable code of docs/errors.md, e.g. AUDIENCE_NOT_FOUND */
                code: string;
                /** @description Facts about the error (per code) */
                details?: {
                    [key: string]: unknown;
                };
                /** @description What went wrong, for a person */
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        engine: string;
                        /** @enum {string} */
                        status: "ready";
                    };
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        issuer: string | null;
                        memberships: {
                            org: string;
                            /** @enum {string} */
                            role: "viewer" | "marketer" | "admin";
                        }[];
                        token: {
                            id: string;
                            org: string;
                            scopes: ("read" | "write" | "share" | "send" | "admin")[];
                        } | null;
                        user: {
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            id: string;
                            name: string | null;
                        };
                        /** @enum {string} */
                        via: "token" | "oidc";
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMeInvitations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        invitations: {
                            /** @description E-mail of the admin who invited you */
                            invitedBy: string | null;
                            org: string;
                            orgName: string;
                            /** @enum {string} */
                            role: "viewer" | "marketer" | "admin";
                        }[];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteMeInvitationsByInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The organisation id */
                invitation: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMeInvitationsByInvitationAccept: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The organisation id */
                invitation: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        org: string;
                        /** @enum {string} */
                        role: "viewer" | "marketer" | "admin";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putMePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    current?: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOrgs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orgs: {
                            createdAt: string;
                            id: string;
                            name: string;
                            /** @description The caller's role in it */
                            role: ("viewer" | "marketer" | "admin") | null;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postOrgs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Lower-case letters, digits and _; starts with a letter */
                    id: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        id: string;
                        name: string;
                        /** @description The caller's role in it */
                        role: ("viewer" | "marketer" | "admin") | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOrgsByOrg: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        id: string;
                        name: string;
                        /** @description The caller's role in it */
                        role: ("viewer" | "marketer" | "admin") | null;
                        settings: {
                            /**
                             * @default {
                             *       "maxIdentitiesPerProfile": 50,
                             *       "maxPerNamespace": {
                             *         "ecid": 20,
                             *         "email": 5,
                             *         "phone": 5,
                             *         "crm": 1
                             *       },
                             *       "maxProfilesPerIdentity": 10
                             *     }
                             */
                            identity: {
                                /** @default 50 */
                                maxIdentitiesPerProfile: number;
                                /**
                                 * @default {
                                 *       "ecid": 20,
                                 *       "email": 5,
                                 *       "phone": 5,
                                 *       "crm": 1
                                 *     }
                                 */
                                maxPerNamespace: {
                                    [key: string]: number;
                                };
                                /** @default 10 */
                                maxProfilesPerIdentity: number;
                            };
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudiences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audiences: {
                            attributes: {
                                name: string;
                                /** @enum {string} */
                                type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp";
                            }[];
                            createdAt: string;
                            dimension: string | null;
                            expired: boolean;
                            expiresAt: string | null;
                            expiryDays: number | null;
                            id: string;
                            identityField: string | null;
                            identityNamespace: string | null;
                            label: string;
                            org: string;
                            origin: {
                                /** @enum {string} */
                                kind: "rule" | "campaign_run" | "upload" | "sync_job" | "shared" | "manual";
                                ref?: string;
                            };
                            owner: string;
                            /** @description The rule (docs/rules.md); null for an audience without one */
                            rule: unknown;
                            size: number;
                            /** @enum {string} */
                            type: "query" | "list" | "file" | "shared";
                            updatedAt: string;
                            version: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAudiences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    type: "query" | "list" | "file" | "shared";
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted?: number;
                        audience: {
                            attributes: {
                                name: string;
                                /** @enum {string} */
                                type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp";
                            }[];
                            createdAt: string;
                            dimension: string | null;
                            expired: boolean;
                            expiresAt: string | null;
                            expiryDays: number | null;
                            id: string;
                            identityField: string | null;
                            identityNamespace: string | null;
                            label: string;
                            org: string;
                            origin: {
                                /** @enum {string} */
                                kind: "rule" | "campaign_run" | "upload" | "sync_job" | "shared" | "manual";
                                ref?: string;
                            };
                            owner: string;
                            /** @description The rule (docs/rules.md); null for an audience without one */
                            rule: unknown;
                            size: number;
                            /** @enum {string} */
                            type: "query" | "list" | "file" | "shared";
                            updatedAt: string;
                            version: number;
                        };
                        rejected?: {
                            line: number;
                            reason: string;
                            value: string;
                        }[];
                        version: {
                            createdAt: string;
                            durationMs: number;
                            entered: number;
                            exited: number;
                            size: number;
                            version: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudiencesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            attributes: {
                                name: string;
                                /** @enum {string} */
                                type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp";
                            }[];
                            createdAt: string;
                            dimension: string | null;
                            expired: boolean;
                            expiresAt: string | null;
                            expiryDays: number | null;
                            id: string;
                            identityField: string | null;
                            identityNamespace: string | null;
                            label: string;
                            org: string;
                            origin: {
                                /** @enum {string} */
                                kind: "rule" | "campaign_run" | "upload" | "sync_job" | "shared" | "manual";
                                ref?: string;
                            };
                            owner: string;
                            /** @description The rule (docs/rules.md); null for an audience without one */
                            rule: unknown;
                            size: number;
                            /** @enum {string} */
                            type: "query" | "list" | "file" | "shared";
                            updatedAt: string;
                            version: number;
                        };
                        usedBy: {
                            id: string;
                            kind: string;
                            label: string;
                        }[];
                        /** @description Size history, newest first */
                        versions: {
                            createdAt: string;
                            durationMs: number;
                            entered: number;
                            exited: number;
                            size: number;
                            version: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAudiencesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deleted: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    patchAudiencesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attributes: {
                            name: string;
                            /** @enum {string} */
                            type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp";
                        }[];
                        createdAt: string;
                        dimension: string | null;
                        expired: boolean;
                        expiresAt: string | null;
                        expiryDays: number | null;
                        id: string;
                        identityField: string | null;
                        identityNamespace: string | null;
                        label: string;
                        org: string;
                        origin: {
                            /** @enum {string} */
                            kind: "rule" | "campaign_run" | "upload" | "sync_job" | "shared" | "manual";
                            ref?: string;
                        };
                        owner: string;
                        /** @description The rule (docs/rules.md); null for an audience without one */
                        rule: unknown;
                        size: number;
                        /** @enum {string} */
                        type: "query" | "list" | "file" | "shared";
                        updatedAt: string;
                        version: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudiencesByIdChanges: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                since?: number;
                until?: number;
            };
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        changes: {
                            /** @enum {string} */
                            change: "entered" | "exited";
                            member: string;
                            version: number;
                        }[];
                        next: string | null;
                        since: number;
                        until: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudiencesByIdExport: {
        parameters: {
            query?: {
                attributes?: "true" | "false";
                format?: "csv" | "ndjson" | "parquet";
                hashProfile?: string;
                version?: number;
            };
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudiencesByIdMembers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                search?: string;
                version?: number;
            };
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        members: {
                            attributes: {
                                [key: string]: unknown;
                            };
                            enteredVersion: number;
                            identity: string | null;
                            member: string;
                        }[];
                        next: string | null;
                        version: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAudiencesByIdRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted?: number;
                        audience: {
                            attributes: {
                                name: string;
                                /** @enum {string} */
                                type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp";
                            }[];
                            createdAt: string;
                            dimension: string | null;
                            expired: boolean;
                            expiresAt: string | null;
                            expiryDays: number | null;
                            id: string;
                            identityField: string | null;
                            identityNamespace: string | null;
                            label: string;
                            org: string;
                            origin: {
                                /** @enum {string} */
                                kind: "rule" | "campaign_run" | "upload" | "sync_job" | "shared" | "manual";
                                ref?: string;
                            };
                            owner: string;
                            /** @description The rule (docs/rules.md); null for an audience without one */
                            rule: unknown;
                            size: number;
                            /** @enum {string} */
                            type: "query" | "list" | "file" | "shared";
                            updatedAt: string;
                            version: number;
                        };
                        rejected?: {
                            line: number;
                            reason: string;
                            value: string;
                        }[];
                        version: {
                            createdAt: string;
                            durationMs: number;
                            entered: number;
                            exited: number;
                            size: number;
                            version: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudiencesByIdSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        nextLaunches: string[];
                        schedule: {
                            audience: string;
                            /** @description 5 or 6 fields (seconds first when 6), e.g. "0 6 * * *" */
                            cron: string;
                            lastError: {
                                code: string;
                                message: string;
                            } | null;
                            lastRun: string | null;
                            lastVersion: number | null;
                            nextRun: string;
                            /** @description IANA time zone, e.g. Europe/Paris */
                            timeZone: string;
                        } | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAudiencesByIdSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cron: string;
                    timeZone?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        nextLaunches: string[];
                        schedule: {
                            audience: string;
                            /** @description 5 or 6 fields (seconds first when 6), e.g. "0 6 * * *" */
                            cron: string;
                            lastError: {
                                code: string;
                                message: string;
                            } | null;
                            lastRun: string | null;
                            lastVersion: number | null;
                            nextRun: string;
                            /** @description IANA time zone, e.g. Europe/Paris */
                            timeZone: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAudiencesByIdSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        removed: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudiencesByIdVersions: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        versions: {
                            createdAt: string;
                            durationMs: number;
                            entered: number;
                            exited: number;
                            size: number;
                            version: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudiencesOverlap: {
        parameters: {
            query: {
                /** @description Audience ids separated by commas */
                ids: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audiences: string[];
                        regions: {
                            count: number;
                            in: string[];
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postAudiencesUpload: {
        parameters: {
            query: {
                defaultCountry?: string;
                expiryDays?: number;
                fileName?: string;
                label: string;
                namespace: "email" | "phone";
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted?: number;
                        audience: {
                            attributes: {
                                name: string;
                                /** @enum {string} */
                                type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp";
                            }[];
                            createdAt: string;
                            dimension: string | null;
                            expired: boolean;
                            expiresAt: string | null;
                            expiryDays: number | null;
                            id: string;
                            identityField: string | null;
                            identityNamespace: string | null;
                            label: string;
                            org: string;
                            origin: {
                                /** @enum {string} */
                                kind: "rule" | "campaign_run" | "upload" | "sync_job" | "shared" | "manual";
                                ref?: string;
                            };
                            owner: string;
                            /** @description The rule (docs/rules.md); null for an audience without one */
                            rule: unknown;
                            size: number;
                            /** @enum {string} */
                            type: "query" | "list" | "file" | "shared";
                            updatedAt: string;
                            version: number;
                        };
                        rejected?: {
                            line: number;
                            reason: string;
                            value: string;
                        }[];
                        version: {
                            createdAt: string;
                            durationMs: number;
                            entered: number;
                            exited: number;
                            size: number;
                            version: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAudit: {
        parameters: {
            query?: {
                /** @description An action, or a prefix ending in * (token.*) */
                action?: string;
                cursor?: string;
                limit?: number;
                /** @description Only this outcome: denied shows refusals and failed or throttled sign-ins */
                outcome?: "ok" | "denied" | "failed";
                /** @description ISO date or time, or a duration like 15m, 24h, 7d */
                since?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            action: string;
                            actorToken: string | null;
                            actorUser: string | null;
                            at: string;
                            details: {
                                [key: string]: unknown;
                            };
                            id: string;
                            ip: string | null;
                            org: string | null;
                            /** @enum {string} */
                            outcome: "ok" | "denied" | "failed";
                            reason: string | null;
                            requestId: string | null;
                            target: string | null;
                            userAgent: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBatches: {
        parameters: {
            query?: {
                limit?: number;
                table?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        batches: {
                            file: string;
                            finishedAt: string | null;
                            format: string;
                            id: string;
                            report: ({
                                batchId: string;
                                deleted: number;
                                durationMs: number;
                                file: string;
                                /** @enum {string} */
                                format: "csv" | "ndjson" | "parquet";
                                identities: {
                                    flagged: number;
                                    linked: number;
                                    overCap: number;
                                    removed: number;
                                } | null;
                                inserted: number;
                                org: string;
                                phaseMs: {
                                    [key: string]: number;
                                };
                                received: number;
                                rejected: number;
                                rejectFile: string | null;
                                rejectSample: {
                                    code: string;
                                    column: string | null;
                                    line: number | null;
                                    raw: string | null;
                                    reason: string;
                                }[];
                                startedAt: string;
                                /** @enum {string} */
                                status: "succeeded" | "failed";
                                superseded: number;
                                table: string;
                                unchanged: number;
                                updated: number;
                            } | {
                                error: unknown;
                            }) | null;
                            startedAt: string;
                            /** @enum {string} */
                            status: "running" | "succeeded" | "failed";
                            table: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBatchesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        file: string;
                        finishedAt: string | null;
                        format: string;
                        id: string;
                        report: ({
                            batchId: string;
                            deleted: number;
                            durationMs: number;
                            file: string;
                            /** @enum {string} */
                            format: "csv" | "ndjson" | "parquet";
                            identities: {
                                flagged: number;
                                linked: number;
                                overCap: number;
                                removed: number;
                            } | null;
                            inserted: number;
                            org: string;
                            phaseMs: {
                                [key: string]: number;
                            };
                            received: number;
                            rejected: number;
                            rejectFile: string | null;
                            rejectSample: {
                                code: string;
                                column: string | null;
                                line: number | null;
                                raw: string | null;
                                reason: string;
                            }[];
                            startedAt: string;
                            /** @enum {string} */
                            status: "succeeded" | "failed";
                            superseded: number;
                            table: string;
                            unchanged: number;
                            updated: number;
                        } | {
                            error: unknown;
                        }) | null;
                        startedAt: string;
                        /** @enum {string} */
                        status: "running" | "succeeded" | "failed";
                        table: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBatchesByIdRejects: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignActivities: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        activities: {
                            inputs: {
                                max: number;
                                min: number;
                            };
                            needsPopulation: boolean;
                            /** @description JSON Schema 2020-12 of the options */
                            options: {
                                [key: string]: unknown;
                            };
                            producesPopulation: boolean;
                            type: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignRunsByRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaigns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        campaigns: {
                            createdAt: string;
                            definition: {
                                activities: {
                                    id: string;
                                    label?: string;
                                    /** @enum {string} */
                                    onError?: "suspend" | "ignore" | "abort";
                                    /** @default {} */
                                    options: {
                                        [key: string]: unknown;
                                    };
                                    /** @enum {string} */
                                    type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                                }[];
                                description?: string;
                                label: string;
                                /**
                                 * @default {
                                 *       "dimension": "profiles",
                                 *       "errorManagement": "suspend",
                                 *       "keepInterimResults": false,
                                 *       "timeZone": "UTC"
                                 *     }
                                 */
                                settings: {
                                    /** @default profiles */
                                    dimension: string;
                                    /**
                                     * @default suspend
                                     * @enum {string}
                                     */
                                    errorManagement: "suspend" | "ignore" | "abort";
                                    /** @default false */
                                    keepInterimResults: boolean;
                                    maxDurationMinutes?: number;
                                    /** @default UTC */
                                    timeZone: string;
                                };
                                /** @default [] */
                                transitions: {
                                    from: string;
                                    id: string;
                                    label?: string;
                                    output?: string;
                                    to: string;
                                }[];
                            };
                            id: string;
                            label: string;
                            lastRun: string | null;
                            org: string;
                            revision: number;
                            /** @enum {string} */
                            state: "draft" | "testing" | "scheduled" | "running" | "paused" | "stopped" | "completed" | "failed" | "archived";
                            /** @enum {string} */
                            status: "draft" | "published" | "archived";
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaigns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        /** @description A campaign definition (docs/campaigns.md) */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        definition: {
                            activities: {
                                id: string;
                                label?: string;
                                /** @enum {string} */
                                onError?: "suspend" | "ignore" | "abort";
                                /** @default {} */
                                options: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                            }[];
                            description?: string;
                            label: string;
                            /**
                             * @default {
                             *       "dimension": "profiles",
                             *       "errorManagement": "suspend",
                             *       "keepInterimResults": false,
                             *       "timeZone": "UTC"
                             *     }
                             */
                            settings: {
                                /** @default profiles */
                                dimension: string;
                                /**
                                 * @default suspend
                                 * @enum {string}
                                 */
                                errorManagement: "suspend" | "ignore" | "abort";
                                /** @default false */
                                keepInterimResults: boolean;
                                maxDurationMinutes?: number;
                                /** @default UTC */
                                timeZone: string;
                            };
                            /** @default [] */
                            transitions: {
                                from: string;
                                id: string;
                                label?: string;
                                output?: string;
                                to: string;
                            }[];
                        };
                        id: string;
                        label: string;
                        lastRun: string | null;
                        org: string;
                        revision: number;
                        /** @enum {string} */
                        state: "draft" | "testing" | "scheduled" | "running" | "paused" | "stopped" | "completed" | "failed" | "archived";
                        /** @enum {string} */
                        status: "draft" | "published" | "archived";
                        updatedAt: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        campaign: {
                            createdAt: string;
                            definition: {
                                activities: {
                                    id: string;
                                    label?: string;
                                    /** @enum {string} */
                                    onError?: "suspend" | "ignore" | "abort";
                                    /** @default {} */
                                    options: {
                                        [key: string]: unknown;
                                    };
                                    /** @enum {string} */
                                    type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                                }[];
                                description?: string;
                                label: string;
                                /**
                                 * @default {
                                 *       "dimension": "profiles",
                                 *       "errorManagement": "suspend",
                                 *       "keepInterimResults": false,
                                 *       "timeZone": "UTC"
                                 *     }
                                 */
                                settings: {
                                    /** @default profiles */
                                    dimension: string;
                                    /**
                                     * @default suspend
                                     * @enum {string}
                                     */
                                    errorManagement: "suspend" | "ignore" | "abort";
                                    /** @default false */
                                    keepInterimResults: boolean;
                                    maxDurationMinutes?: number;
                                    /** @default UTC */
                                    timeZone: string;
                                };
                                /** @default [] */
                                transitions: {
                                    from: string;
                                    id: string;
                                    label?: string;
                                    output?: string;
                                    to: string;
                                }[];
                            };
                            id: string;
                            label: string;
                            lastRun: string | null;
                            org: string;
                            revision: number;
                            /** @enum {string} */
                            state: "draft" | "testing" | "scheduled" | "running" | "paused" | "stopped" | "completed" | "failed" | "archived";
                            /** @enum {string} */
                            status: "draft" | "published" | "archived";
                            updatedAt: string;
                        };
                        lastScheduleError: {
                            /** @description When it failed (ISO 8601) */
                            at: string;
                            code: string;
                            message: string;
                        } | null;
                        nextLaunches: string[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putCampaignsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        /** @description A campaign definition (docs/campaigns.md) */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        definition: {
                            activities: {
                                id: string;
                                label?: string;
                                /** @enum {string} */
                                onError?: "suspend" | "ignore" | "abort";
                                /** @default {} */
                                options: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                            }[];
                            description?: string;
                            label: string;
                            /**
                             * @default {
                             *       "dimension": "profiles",
                             *       "errorManagement": "suspend",
                             *       "keepInterimResults": false,
                             *       "timeZone": "UTC"
                             *     }
                             */
                            settings: {
                                /** @default profiles */
                                dimension: string;
                                /**
                                 * @default suspend
                                 * @enum {string}
                                 */
                                errorManagement: "suspend" | "ignore" | "abort";
                                /** @default false */
                                keepInterimResults: boolean;
                                maxDurationMinutes?: number;
                                /** @default UTC */
                                timeZone: string;
                            };
                            /** @default [] */
                            transitions: {
                                from: string;
                                id: string;
                                label?: string;
                                output?: string;
                                to: string;
                            }[];
                        };
                        id: string;
                        label: string;
                        lastRun: string | null;
                        org: string;
                        revision: number;
                        /** @enum {string} */
                        state: "draft" | "testing" | "scheduled" | "running" | "paused" | "stopped" | "completed" | "failed" | "archived";
                        /** @enum {string} */
                        status: "draft" | "published" | "archived";
                        updatedAt: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdActivitiesByActivityPreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                activity: string;
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Primary key of the row in the campaign dimension (a JSON array for a composite key) */
                    profile: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: {
                            from?: string;
                            html?: string;
                            replyTo?: string;
                            subject?: string;
                            text?: string;
                        };
                        /** @description Personalisation columns the dimension does not hold (enrichment): shown with defaults */
                        missing: string[];
                        profile: string;
                        to: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdActivitiesByActivityProof: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                activity: string;
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Primary key of the row in the campaign dimension (a JSON array for a composite key) */
                    profile?: string;
                    to: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        outcomes: {
                            reason?: string;
                            /** @enum {string} */
                            status: "sent" | "failed";
                            to: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdArchive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        definition: {
                            activities: {
                                id: string;
                                label?: string;
                                /** @enum {string} */
                                onError?: "suspend" | "ignore" | "abort";
                                /** @default {} */
                                options: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                            }[];
                            description?: string;
                            label: string;
                            /**
                             * @default {
                             *       "dimension": "profiles",
                             *       "errorManagement": "suspend",
                             *       "keepInterimResults": false,
                             *       "timeZone": "UTC"
                             *     }
                             */
                            settings: {
                                /** @default profiles */
                                dimension: string;
                                /**
                                 * @default suspend
                                 * @enum {string}
                                 */
                                errorManagement: "suspend" | "ignore" | "abort";
                                /** @default false */
                                keepInterimResults: boolean;
                                maxDurationMinutes?: number;
                                /** @default UTC */
                                timeZone: string;
                            };
                            /** @default [] */
                            transitions: {
                                from: string;
                                id: string;
                                label?: string;
                                output?: string;
                                to: string;
                            }[];
                        };
                        id: string;
                        label: string;
                        lastRun: string | null;
                        org: string;
                        revision: number;
                        /** @enum {string} */
                        state: "draft" | "testing" | "scheduled" | "running" | "paused" | "stopped" | "completed" | "failed" | "archived";
                        /** @enum {string} */
                        status: "draft" | "published" | "archived";
                        updatedAt: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdPublish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        definition: {
                            activities: {
                                id: string;
                                label?: string;
                                /** @enum {string} */
                                onError?: "suspend" | "ignore" | "abort";
                                /** @default {} */
                                options: {
                                    [key: string]: unknown;
                                };
                                /** @enum {string} */
                                type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                            }[];
                            description?: string;
                            label: string;
                            /**
                             * @default {
                             *       "dimension": "profiles",
                             *       "errorManagement": "suspend",
                             *       "keepInterimResults": false,
                             *       "timeZone": "UTC"
                             *     }
                             */
                            settings: {
                                /** @default profiles */
                                dimension: string;
                                /**
                                 * @default suspend
                                 * @enum {string}
                                 */
                                errorManagement: "suspend" | "ignore" | "abort";
                                /** @default false */
                                keepInterimResults: boolean;
                                maxDurationMinutes?: number;
                                /** @default UTC */
                                timeZone: string;
                            };
                            /** @default [] */
                            transitions: {
                                from: string;
                                id: string;
                                label?: string;
                                output?: string;
                                to: string;
                            }[];
                        };
                        id: string;
                        label: string;
                        lastRun: string | null;
                        org: string;
                        revision: number;
                        /** @enum {string} */
                        state: "draft" | "testing" | "scheduled" | "running" | "paused" | "stopped" | "completed" | "failed" | "archived";
                        /** @enum {string} */
                        status: "draft" | "published" | "archived";
                        updatedAt: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdRestart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignsByIdRuns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runs: {
                            alertedAt: string | null;
                            breakpoint: string | null;
                            campaign: string;
                            createdAt: string;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            id: string;
                            /** @enum {string} */
                            mode: "live" | "test";
                            parameters: {
                                [key: string]: string | number | boolean;
                            };
                            startedBy: {
                                capabilities: ("share" | "send")[];
                                /** @enum {string} */
                                kind: "user" | "token";
                                tokenId: string | null;
                                userId: string;
                            } | null;
                            /** @enum {string} */
                            state: "running" | "paused" | "stopped" | "completed" | "failed";
                            tasks: {
                                activity: string;
                                attempts: number;
                                error: {
                                    code: string;
                                    message: string;
                                } | null;
                                finishedAt: string | null;
                                notBefore: string | null;
                                outputs: {
                                    [key: string]: {
                                        count: number;
                                        table: string | null;
                                    };
                                };
                                startedAt: string | null;
                                /** @enum {string} */
                                status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                                /** @enum {string} */
                                type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                            }[];
                            transitions: {
                                [key: string]: number;
                            };
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdRuns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    breakpoint?: string;
                    /**
                     * @default live
                     * @enum {string}
                     */
                    mode?: "live" | "test";
                    /** @description Values of the parameters the Signal activity declares (docs/campaigns.md) */
                    parameters?: {
                        [key: string]: string | number | boolean;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignsByIdRunsByRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdRunsByRunActivitiesByActivityConfirmSend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                activity: string;
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The number of recipients confirmed (as the pause reported it) */
                    recipients: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignsByIdRunsByRunActivitiesByActivityDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                status?: "queued" | "sending" | "retry" | "sent" | "failed" | "lost" | "excluded";
            };
            header?: never;
            path: {
                activity: string;
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            address: string | null;
                            attempts: number;
                            member: string;
                            reason: string | null;
                            /** @enum {string} */
                            status: "queued" | "sending" | "retry" | "sent" | "failed" | "lost" | "excluded";
                            updatedAt: string;
                        }[];
                        offset: number;
                        total: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignsByIdRunsByRunActivitiesByActivityDeliveryReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                activity: string;
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        byStatus: {
                            [key: string]: number;
                        };
                        excluded: {
                            [key: string]: number;
                        };
                        recipients: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignsByIdRunsByRunEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignsByIdRunsByRunLogs: {
        parameters: {
            query?: {
                after?: number;
            };
            header?: never;
            path: {
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: {
                            activity: string | null;
                            at: string;
                            code: string | null;
                            /** @enum {string} */
                            level: "info" | "warn" | "alert" | "error";
                            message: string;
                            seq: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdRunsByRunPause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    at?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdRunsByRunResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdRunsByRunStop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
                run: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCampaignsByIdRunsByRunTransitionsByTransition: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
                org: string;
                run: string;
                transition: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        columns: {
                            name: string;
                            type: string;
                        }[];
                        count: number;
                        rows: {
                            [key: string]: unknown;
                        }[];
                        transition: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsByIdSignal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default live
                     * @enum {string}
                     */
                    mode?: "live" | "test";
                    /**
                     * @description Values of the parameters the Signal activity declares (docs/campaigns.md)
                     * @default {}
                     */
                    parameters?: {
                        [key: string]: string | number | boolean;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alertedAt: string | null;
                        breakpoint: string | null;
                        campaign: string;
                        createdAt: string;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        /** @enum {string} */
                        mode: "live" | "test";
                        parameters: {
                            [key: string]: string | number | boolean;
                        };
                        startedBy: {
                            capabilities: ("share" | "send")[];
                            /** @enum {string} */
                            kind: "user" | "token";
                            tokenId: string | null;
                            userId: string;
                        } | null;
                        /** @enum {string} */
                        state: "running" | "paused" | "stopped" | "completed" | "failed";
                        tasks: {
                            activity: string;
                            attempts: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            notBefore: string | null;
                            outputs: {
                                [key: string]: {
                                    count: number;
                                    table: string | null;
                                };
                            };
                            startedAt: string | null;
                            /** @enum {string} */
                            status: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "ignored";
                            /** @enum {string} */
                            type: "scheduler" | "signal" | "build_audience" | "read_audience" | "combine" | "deduplication" | "enrichment" | "split" | "reconciliation" | "change_dimension" | "export_file" | "channel" | "fork" | "and_join" | "wait" | "save_audience" | "end";
                        }[];
                        transitions: {
                            [key: string]: number;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsSchedulePreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description How many launches (default 5)
                     * @default 5
                     */
                    count?: number;
                    schedule: {
                        at: string;
                        /** @enum {string} */
                        kind: "once";
                    } | {
                        /** @enum {string} */
                        kind: "daily";
                        times: string[];
                    } | {
                        days: ("sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat")[];
                        /** @enum {string} */
                        kind: "weekly";
                        time: string;
                    } | {
                        days: number[];
                        /** @enum {string} */
                        kind: "monthly";
                        time: string;
                    } | {
                        expression: string;
                        /** @enum {string} */
                        kind: "cron";
                    };
                    /** @description IANA time zone the schedule is read in */
                    timeZone: string;
                    /** Format: date-time */
                    validFrom?: string;
                    /** Format: date-time */
                    validUntil?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description ISO instants, earliest first */
                        next: string[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postCampaignsValidate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        /** @description A campaign definition (docs/campaigns.md) */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        issues: {
                            code: string;
                            message: string;
                            path: (string | number)[];
                        }[];
                        valid: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChannelProviders: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        providers: {
                            /** @description Names of the settings that are set; values are write-only */
                            configured: string[];
                            createdAt: string;
                            id: string;
                            /** @enum {string} */
                            kind: "email";
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getChannelProvidersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Names of the settings that are set; values are write-only */
                        configured: string[];
                        createdAt: string;
                        id: string;
                        /** @enum {string} */
                        kind: "email";
                        updatedAt: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putChannelProvidersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    dkim?: {
                        domainName: string;
                        keySelector: string;
                        privateKey: string;
                    };
                    from?: string;
                    host: string;
                    /** @enum {string} */
                    kind: "email";
                    /** @default 5 */
                    maxConnections?: number;
                    password?: string;
                    /** @default 587 */
                    port?: number;
                    /** @default false */
                    requireTls?: boolean;
                    /** @default false */
                    secure?: boolean;
                    user?: string;
                    /** @default true */
                    verifyCertificate?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Names of the settings that are set; values are write-only */
                        configured: string[];
                        createdAt: string;
                        id: string;
                        /** @enum {string} */
                        kind: "email";
                        updatedAt: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteChannelProvidersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDatasets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        datasets: {
                            lastBatch: {
                                finishedAt: string | null;
                                id: string;
                                status: string;
                            } | null;
                            revision: number;
                            rows: number;
                            table: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDatasetsByTable: {
        parameters: {
            query?: {
                sample?: number;
            };
            header?: never;
            path: {
                org: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        definition: {
                            description?: string;
                            fields: {
                                [key: string]: {
                                    description?: string;
                                    identity?: {
                                        countryField?: string;
                                        defaultCountry?: string;
                                        namespace: string;
                                        primary?: boolean;
                                    };
                                    label?: string;
                                    labels?: string[];
                                    maxLength?: number;
                                    nullable?: boolean;
                                    /** @enum {string} */
                                    type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp" | "enum";
                                    values?: string[];
                                };
                            };
                            label?: string;
                            labels?: string[];
                            linksTo?: {
                                field: string;
                                table: string;
                            };
                            primaryKey: string[];
                            relationships?: {
                                [key: string]: {
                                    /** @enum {string} */
                                    cardinality: "1-1" | "1-N" | "N-1";
                                    inverse?: string;
                                    label?: string;
                                    on: {
                                        [key: string]: string;
                                    };
                                    target: string;
                                };
                            };
                            versionField?: string;
                        };
                        flaggedIdentities: number;
                        identityLinks: {
                            links: number;
                            namespace: string;
                            profiles: number;
                        }[];
                        lastBatch: {
                            finishedAt: string | null;
                            id: string;
                            status: string;
                        } | null;
                        revision: number;
                        rows: number;
                        sample: {
                            [key: string]: unknown;
                        }[];
                        table: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postDatasetsByTableBatches: {
        parameters: {
            query: {
                delimiter?: string;
                encoding?: "utf-8" | "utf-16" | "latin-1";
                escape?: string;
                /** @description Original file name; its extension gives the format (.csv, .ndjson, .parquet, .gz) */
                fileName: string;
                format?: "csv" | "ndjson" | "parquet";
                header?: "true" | "false";
                quote?: string;
            };
            header?: never;
            path: {
                org: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        batchId: string;
                        deleted: number;
                        durationMs: number;
                        file: string;
                        /** @enum {string} */
                        format: "csv" | "ndjson" | "parquet";
                        identities: {
                            flagged: number;
                            linked: number;
                            overCap: number;
                            removed: number;
                        } | null;
                        inserted: number;
                        org: string;
                        phaseMs: {
                            [key: string]: number;
                        };
                        received: number;
                        rejected: number;
                        rejectFile: string | null;
                        rejectSample: {
                            code: string;
                            column: string | null;
                            line: number | null;
                            raw: string | null;
                            reason: string;
                        }[];
                        startedAt: string;
                        /** @enum {string} */
                        status: "succeeded" | "failed";
                        superseded: number;
                        table: string;
                        unchanged: number;
                        updated: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postExpressionsValidate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Table the rule selects from (default: profiles) */
                    dimension?: string;
                    /** @description The expression text */
                    expression: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        issues: {
                            code: string;
                            column?: number;
                            line?: number;
                            message: string;
                        }[];
                        valid: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMembers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        members: {
                            /** @enum {string} */
                            role: "viewer" | "marketer" | "admin";
                            /**
                             * @description active; invited (an existing user added here, until they accept); disabled (in this org only)
                             * @enum {string}
                             */
                            status: "active" | "invited" | "disabled";
                            user: {
                                createdAt: string;
                                disabled: boolean;
                                email: string;
                                id: string;
                                name: string | null;
                            };
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMembers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    name?: string | null;
                    /** @enum {string} */
                    role: "viewer" | "marketer" | "admin";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role: "viewer" | "marketer" | "admin";
                        /**
                         * @description active; invited (an existing user added here, until they accept); disabled (in this org only)
                         * @enum {string}
                         */
                        status: "active" | "invited" | "disabled";
                        user: {
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            id: string;
                            name: string | null;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putMembersByUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                /** @description User id or e-mail address */
                user: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "viewer" | "marketer" | "admin";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role: "viewer" | "marketer" | "admin";
                        /**
                         * @description active; invited (an existing user added here, until they accept); disabled (in this org only)
                         * @enum {string}
                         */
                        status: "active" | "invited" | "disabled";
                        user: {
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            id: string;
                            name: string | null;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteMembersByUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                /** @description User id or e-mail address */
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        removed: string;
                        tokensRevoked: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putMembersByUserDisabled: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                /** @description User id or e-mail address */
                user: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    disabled: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role: "viewer" | "marketer" | "admin";
                        /**
                         * @description active; invited (an existing user added here, until they accept); disabled (in this org only)
                         * @enum {string}
                         */
                        status: "active" | "invited" | "disabled";
                        user: {
                            createdAt: string;
                            disabled: boolean;
                            email: string;
                            id: string;
                            name: string | null;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putMembersByUserPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                /** @description User id or e-mail address */
                user: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getProfilesByIdAudiences: {
        parameters: {
            query?: {
                dimension?: string;
            };
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audiences: {
                            enteredVersion: number;
                            id: string;
                            label: string;
                        }[];
                        member: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRulesCount: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description Evaluation time of relative dates (default: now)
                     */
                    asOf?: string;
                    /** @description Table the rule selects from (default: profiles) */
                    dimension?: string;
                    /** @description A rule as JSON (docs/rules.md) */
                    rule: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        asOf: string;
                        count: number;
                        dimension: string;
                        durationMs: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRulesDistribution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description Evaluation time of relative dates (default: now)
                     */
                    asOf?: string;
                    /** @description Table the rule selects from (default: profiles) */
                    dimension?: string;
                    field: string;
                    limit?: number;
                    rule?: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        field: string;
                        values: {
                            count: number;
                            value: unknown;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRulesExplain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description Evaluation time of relative dates (default: now)
                     */
                    asOf?: string;
                    /** @description Table the rule selects from (default: profiles) */
                    dimension?: string;
                    /** @description A rule as JSON (docs/rules.md) */
                    rule: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        plan: string;
                        sql: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRulesPreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description Evaluation time of relative dates (default: now)
                     */
                    asOf?: string;
                    /** @description Table the rule selects from (default: profiles) */
                    dimension?: string;
                    limit?: number;
                    /** @description A rule as JSON (docs/rules.md) */
                    rule: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        members: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRulesSql: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description Evaluation time of relative dates (default: now)
                     */
                    asOf?: string;
                    /** @enum {string} */
                    dialect?: "duckdb" | "postgres" | "clickhouse";
                    /** @description Table the rule selects from (default: profiles) */
                    dimension?: string;
                    /** @description A rule as JSON (docs/rules.md) */
                    rule: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        dialect: "duckdb" | "postgres" | "clickhouse";
                        params: {
                            type: string;
                            value: string | number | boolean | null;
                        }[];
                        sql: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postRulesValidate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description Evaluation time of relative dates (default: now)
                     */
                    asOf?: string;
                    /** @description Table the rule selects from (default: profiles) */
                    dimension?: string;
                    /** @description A rule as JSON (docs/rules.md) */
                    rule: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        issues: {
                            code: string;
                            message: string;
                            path: (string | number)[];
                        }[];
                        valid: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSchemas: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tables: {
                            createdAt: string;
                            definition: {
                                description?: string;
                                fields: {
                                    [key: string]: {
                                        description?: string;
                                        identity?: {
                                            countryField?: string;
                                            defaultCountry?: string;
                                            namespace: string;
                                            primary?: boolean;
                                        };
                                        label?: string;
                                        labels?: string[];
                                        maxLength?: number;
                                        nullable?: boolean;
                                        /** @enum {string} */
                                        type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp" | "enum";
                                        values?: string[];
                                    };
                                };
                                label?: string;
                                labels?: string[];
                                linksTo?: {
                                    field: string;
                                    table: string;
                                };
                                primaryKey: string[];
                                relationships?: {
                                    [key: string]: {
                                        /** @enum {string} */
                                        cardinality: "1-1" | "1-N" | "N-1";
                                        inverse?: string;
                                        label?: string;
                                        on: {
                                            [key: string]: string;
                                        };
                                        target: string;
                                    };
                                };
                                versionField?: string;
                            };
                            name: string;
                            org: string;
                            revision: number;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSchemas: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    allowDestructive?: boolean;
                    dryRun?: boolean;
                    /** @description A schema file as a JSON object (docs/schema-format.md) */
                    schema?: unknown;
                    /** @description A schema file as YAML or JSON text */
                    text?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created: string[];
                        unchanged: string[];
                        updated: {
                            diff: {
                                added: string[];
                                enumValuesRemoved: {
                                    field: string;
                                    values: string[];
                                }[];
                                keyChanged: boolean;
                                removed: string[];
                                retyped: {
                                    field: string;
                                    from: string;
                                    to: string;
                                }[];
                            };
                            table: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSchemasByTable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                table: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        definition: {
                            description?: string;
                            fields: {
                                [key: string]: {
                                    description?: string;
                                    identity?: {
                                        countryField?: string;
                                        defaultCountry?: string;
                                        namespace: string;
                                        primary?: boolean;
                                    };
                                    label?: string;
                                    labels?: string[];
                                    maxLength?: number;
                                    nullable?: boolean;
                                    /** @enum {string} */
                                    type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp" | "enum";
                                    values?: string[];
                                };
                            };
                            label?: string;
                            labels?: string[];
                            linksTo?: {
                                field: string;
                                table: string;
                            };
                            primaryKey: string[];
                            relationships?: {
                                [key: string]: {
                                    /** @enum {string} */
                                    cardinality: "1-1" | "1-N" | "N-1";
                                    inverse?: string;
                                    label?: string;
                                    on: {
                                        [key: string]: string;
                                    };
                                    target: string;
                                };
                            };
                            versionField?: string;
                        };
                        name: string;
                        org: string;
                        revision: number;
                        updatedAt: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSchemasInfer: {
        parameters: {
            query: {
                delimiter?: string;
                encoding?: "utf-8" | "utf-16" | "latin-1";
                escape?: string;
                /** @description Original file name; its extension gives the format (.csv, .ndjson, .parquet, .gz) */
                fileName: string;
                format?: "csv" | "ndjson" | "parquet";
                header?: "true" | "false";
                quote?: string;
                table: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        notes: string[];
                        sampledRows: number;
                        schema: unknown;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSharingDataSources: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dataSources: {
                            alias: string;
                            /** @enum {string} */
                            channel: "email" | "sms" | "other";
                            createdAt: string;
                            id: string;
                            /** @enum {string} */
                            idType: "visitor" | "declared";
                            label: string;
                            namespace: string;
                            owner: string;
                            priority: number;
                            protection: {
                                bits?: number;
                                hasKey: boolean;
                                /** @enum {string} */
                                kind: "none" | "sha256" | "hmac-sha256" | "aes-cbc";
                            };
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSharingDataSources: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    alias: string;
                    /**
                     * @default other
                     * @enum {string}
                     */
                    channel?: "email" | "sms" | "other";
                    /** @enum {string} */
                    idType: "visitor" | "declared";
                    label: string;
                    namespace: string;
                    /** @default 0 */
                    priority?: number;
                    /**
                     * @default {
                     *       "kind": "none"
                     *     }
                     */
                    protection?: {
                        /** @enum {string} */
                        kind: "none";
                    } | {
                        /** @enum {string} */
                        kind: "sha256";
                    } | {
                        key: string;
                        /** @enum {string} */
                        kind: "hmac-sha256";
                    } | {
                        bits: 128 | 192 | 256;
                        iv: string;
                        key: string;
                        /** @enum {string} */
                        kind: "aes-cbc";
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alias: string;
                        /** @enum {string} */
                        channel: "email" | "sms" | "other";
                        createdAt: string;
                        id: string;
                        /** @enum {string} */
                        idType: "visitor" | "declared";
                        label: string;
                        namespace: string;
                        owner: string;
                        priority: number;
                        protection: {
                            bits?: number;
                            hasKey: boolean;
                            /** @enum {string} */
                            kind: "none" | "sha256" | "hmac-sha256" | "aes-cbc";
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSharingExports: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    audience: string;
                    consentField?: string;
                    dataSource: string;
                    /**
                     * @default add
                     * @enum {string}
                     */
                    mode?: "add" | "mirror";
                    target: {
                        sharedAudience: string;
                    } | {
                        newName: string;
                        /** @default [] */
                        sharedWith?: string[];
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        audience: string | null;
                        counts: {
                            ambiguous: number;
                            exported: number;
                            invalid: number;
                            matched: number;
                            members?: number;
                            received: number;
                            unmapped: number;
                            unmatched: number;
                            withoutConsent?: number;
                        };
                        createdAt: string;
                        /** @enum {string} */
                        direction: "export" | "import";
                        durationMs: number | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        latencyMs: number | null;
                        org: string;
                        sharedAudience: string | null;
                        sharedVersion: number | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "queued" | "running" | "succeeded" | "failed";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSharingImports: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        imports: {
                            audience: string;
                            createdAt: string;
                            dataSource: string;
                            dimension: string | null;
                            forceReconciliation: boolean;
                            /** @enum {string} */
                            kind: "shared" | "file";
                            lastError: {
                                /** @description When it failed (ISO 8601) */
                                at: string;
                                code: string;
                                message: string;
                            } | null;
                            lastVersion: number;
                            org: string;
                            sharedAudience: string;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSharingImports: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    dimension?: string;
                    /** @default false */
                    forceReconciliation?: boolean;
                    label: string;
                    sharedAudience: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        audience: {
                            attributes: {
                                name: string;
                                /** @enum {string} */
                                type: "string" | "integer" | "number" | "boolean" | "date" | "timestamp";
                            }[];
                            createdAt: string;
                            dimension: string | null;
                            expired: boolean;
                            expiresAt: string | null;
                            expiryDays: number | null;
                            id: string;
                            identityField: string | null;
                            identityNamespace: string | null;
                            label: string;
                            org: string;
                            origin: {
                                /** @enum {string} */
                                kind: "rule" | "campaign_run" | "upload" | "sync_job" | "shared" | "manual";
                                ref?: string;
                            };
                            owner: string;
                            /** @description The rule (docs/rules.md); null for an audience without one */
                            rule: unknown;
                            size: number;
                            /** @enum {string} */
                            type: "query" | "list" | "file" | "shared";
                            updatedAt: string;
                            version: number;
                        };
                        job: {
                            attempts: number;
                            audience: string | null;
                            counts: {
                                ambiguous: number;
                                exported: number;
                                invalid: number;
                                matched: number;
                                members?: number;
                                received: number;
                                unmapped: number;
                                unmatched: number;
                                withoutConsent?: number;
                            };
                            createdAt: string;
                            /** @enum {string} */
                            direction: "export" | "import";
                            durationMs: number | null;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            id: string;
                            latencyMs: number | null;
                            org: string;
                            sharedAudience: string | null;
                            sharedVersion: number | null;
                            startedAt: string | null;
                            /** @enum {string} */
                            state: "queued" | "running" | "succeeded" | "failed";
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postSharingImportsByIdSync: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        audience: string | null;
                        counts: {
                            ambiguous: number;
                            exported: number;
                            invalid: number;
                            matched: number;
                            members?: number;
                            received: number;
                            unmapped: number;
                            unmatched: number;
                            withoutConsent?: number;
                        };
                        createdAt: string;
                        /** @enum {string} */
                        direction: "export" | "import";
                        durationMs: number | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        latencyMs: number | null;
                        org: string;
                        sharedAudience: string | null;
                        sharedVersion: number | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "queued" | "running" | "succeeded" | "failed";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSharingJobs: {
        parameters: {
            query?: {
                audience?: string;
                limit?: number;
                sharedAudience?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobs: {
                            attempts: number;
                            audience: string | null;
                            counts: {
                                ambiguous: number;
                                exported: number;
                                invalid: number;
                                matched: number;
                                members?: number;
                                received: number;
                                unmapped: number;
                                unmatched: number;
                                withoutConsent?: number;
                            };
                            createdAt: string;
                            /** @enum {string} */
                            direction: "export" | "import";
                            durationMs: number | null;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finishedAt: string | null;
                            id: string;
                            latencyMs: number | null;
                            org: string;
                            sharedAudience: string | null;
                            sharedVersion: number | null;
                            startedAt: string | null;
                            /** @enum {string} */
                            state: "queued" | "running" | "succeeded" | "failed";
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSharingJobsByJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        audience: string | null;
                        counts: {
                            ambiguous: number;
                            exported: number;
                            invalid: number;
                            matched: number;
                            members?: number;
                            received: number;
                            unmapped: number;
                            unmatched: number;
                            withoutConsent?: number;
                        };
                        createdAt: string;
                        /** @enum {string} */
                        direction: "export" | "import";
                        durationMs: number | null;
                        error: {
                            code: string;
                            message: string;
                        } | null;
                        finishedAt: string | null;
                        id: string;
                        latencyMs: number | null;
                        org: string;
                        sharedAudience: string | null;
                        sharedVersion: number | null;
                        startedAt: string | null;
                        /** @enum {string} */
                        state: "queued" | "running" | "succeeded" | "failed";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSharingJobsByJobReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                job: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSharingSharedAudiences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sharedAudiences: {
                            createdAt: string;
                            dataSource: string;
                            id: string;
                            name: string;
                            owner: string;
                            sharedWith: string[];
                            size: number;
                            updatedAt: string;
                            version: number;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: {
                            createdAt: string;
                            expiresAt: string | null;
                            id: string;
                            /** @description Updated at most once a minute */
                            lastUsedAt: string | null;
                            name: string;
                            org: string;
                            /** @description The first characters of the secret */
                            prefix: string;
                            revokedAt: string | null;
                            scopes: ("read" | "write" | "share" | "send" | "admin")[];
                            userId: string | null;
                        }[];
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    expiresAt?: string;
                    /** @description At most AHUB_MAX_TOKEN_DAYS (90 by default) */
                    expiresInDays?: number;
                    name: string;
                    /** @description Default: read; never more than your role grants */
                    scopes?: ("read" | "write" | "share" | "send" | "admin")[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        secret: string;
                        token: {
                            createdAt: string;
                            expiresAt: string | null;
                            id: string;
                            /** @description Updated at most once a minute */
                            lastUsedAt: string | null;
                            name: string;
                            org: string;
                            /** @description The first characters of the secret */
                            prefix: string;
                            revokedAt: string | null;
                            scopes: ("read" | "write" | "share" | "send" | "admin")[];
                            userId: string | null;
                        };
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTokensById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        createdAt: string;
                        expiresAt: string | null;
                        id: string;
                        /** @description Updated at most once a minute */
                        lastUsedAt: string | null;
                        name: string;
                        org: string;
                        /** @description The first characters of the secret */
                        prefix: string;
                        revokedAt: string | null;
                        scopes: ("read" | "write" | "share" | "send" | "admin")[];
                        userId: string | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
