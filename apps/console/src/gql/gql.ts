/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Names {\n    sectors {\n      code\n      nameEn\n      nameJa\n    }\n    reportCategories {\n      code\n      nameEn\n      nameJa\n    }\n  }\n": typeof types.NamesDocument,
    "\n  query Session {\n    me {\n      id\n      email\n      displayName\n      role\n      organisation {\n        id\n        name\n      }\n    }\n    mySecurity {\n      secondFactorVerified\n      totpEnabled\n      passkeys {\n        id\n      }\n    }\n  }\n": typeof types.SessionDocument,
    "\n  mutation StartPasskeyAuthentication {\n    startPasskeyAuthentication {\n      challengeId\n      optionsJson\n    }\n  }\n": typeof types.StartPasskeyAuthenticationDocument,
    "\n  mutation FinishPasskeyAuthentication($c: String!, $r: String!) {\n    finishPasskeyAuthentication(challengeId: $c, responseJson: $r) {\n      secondFactorVerified\n    }\n  }\n": typeof types.FinishPasskeyAuthenticationDocument,
    "\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration {\n      challengeId\n      optionsJson\n    }\n  }\n": typeof types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($c: String!, $r: String!, $n: String!) {\n    finishPasskeyRegistration(challengeId: $c, responseJson: $r, name: $n) {\n      recoveryCodes\n      passkey {\n        id\n      }\n    }\n  }\n": typeof types.FinishPasskeyRegistrationDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  query AudienceOrganisations($ids: [ID!], $first: Int!) {\n    organisations(first: $first, filter: { ids: $ids }) {\n      edges {\n        node {\n          id\n          name\n          kind\n        }\n      }\n    }\n  }\n": typeof types.AudienceOrganisationsDocument,
    "\n  query AudienceGroups($ids: [ID!], $first: Int!) {\n    corporateGroups(first: $first, filter: { ids: $ids }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AudienceGroupsDocument,
    "\n  query PickerOrganisations($first: Int!, $search: String, $ids: [ID!]) {\n    organisations(first: $first, filter: { nameContains: $search, ids: $ids }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          kind\n        }\n      }\n    }\n  }\n": typeof types.PickerOrganisationsDocument,
    "\n  query PickerGroups($first: Int!, $search: String, $ids: [ID!]) {\n    corporateGroups(first: $first, filter: { nameContains: $search, ids: $ids }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.PickerGroupsDocument,
    "\n  query MyOrganisationKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n": typeof types.MyOrganisationKindDocument,
    "\n  mutation RemoveExercise($name: String!) {\n    removeExercise(name: $name)\n  }\n": typeof types.RemoveExerciseDocument,
    "\n  mutation LowerReportMarking($id: ID!, $tlp: Tlp!, $audience: AudienceInput, $reason: String!) {\n    lowerReportMarking(id: $id, tlp: $tlp, audience: $audience, reason: $reason) {\n      id\n      tlp\n    }\n  }\n": typeof types.LowerReportMarkingDocument,
    "\n  subscription CentreReportEvents {\n    reportEvents(filter: { events: [PUBLISHED] }) {\n      cursor\n      report {\n        id\n        title\n        tlp\n      }\n    }\n  }\n": typeof types.CentreReportEventsDocument,
    "\n  subscription CentreListEvents {\n    listEvents(filter: { events: [CREATED] }) {\n      cursor\n      list {\n        id\n        name\n        tlp\n      }\n    }\n  }\n": typeof types.CentreListEventsDocument,
    "\n  mutation StepUpTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n": typeof types.StepUpTotpDocument,
    "\n  query Account {\n    mySecurity {\n      totpEnabled\n      recoveryCodesRemaining\n      passwordlessEnabled\n      secondFactorVerified\n      passkeys {\n        id\n        name\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n": typeof types.AccountDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      current\n      createdAt\n      lastSeenAt\n      userAgent\n      clientAddress\n      secondFactorVerified\n    }\n  }\n": typeof types.MySessionsDocument,
    "\n  mutation StartTotp {\n    startTotpEnrolment {\n      qrCodeSvg\n      secret\n    }\n  }\n": typeof types.StartTotpDocument,
    "\n  mutation ConfirmTotp($c: String!) {\n    confirmTotpEnrolment(code: $c) {\n      active\n      recoveryCodes\n    }\n  }\n": typeof types.ConfirmTotpDocument,
    "\n  mutation RemoveTotp {\n    removeTotp\n  }\n": typeof types.RemoveTotpDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n": typeof types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n": typeof types.RemovePasskeyDocument,
    "\n  mutation SetPasswordless($e: Boolean!) {\n    setPasswordlessLogin(enabled: $e)\n  }\n": typeof types.SetPasswordlessDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n": typeof types.RegenerateRecoveryCodesDocument,
    "\n  mutation ChangePassword($c: String!, $n: String!) {\n    changePassword(currentPassword: $c, newPassword: $n)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation LogoutEverywhere {\n    logoutEverywhere\n  }\n": typeof types.LogoutEverywhereDocument,
    "\n  query AdminApiTokens {\n    apiTokens {\n      id\n      name\n      tokenPrefix\n      scopes\n      allowedRanges\n      createdAt\n      expiresAt\n      lastUsedAt\n      lastUsedAddress\n      revokedAt\n    }\n  }\n": typeof types.AdminApiTokensDocument,
    "\n  mutation AdminCreateApiToken($i: CreateApiTokenInput!) {\n    createApiToken(input: $i) {\n      token\n      apiToken {\n        id\n        name\n        scopes\n      }\n    }\n  }\n": typeof types.AdminCreateApiTokenDocument,
    "\n  mutation AdminRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.AdminRevokeApiTokenDocument,
    "\n  query AdminAudit($after: String, $filter: AuditLogFilter) {\n    auditLog(first: 50, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          at\n          action\n          outcome\n          actorUserId\n          actorOrganisationId\n          organisationId\n          targetType\n          targetId\n          clientAddress\n          detailsJson\n        }\n      }\n    }\n  }\n": typeof types.AdminAuditDocument,
    "\n  query AdminAuditPeople($org: ID) {\n    users(first: 50, filter: { organisationId: $org }) {\n      edges {\n        node {\n          id\n          displayName\n          email\n        }\n      }\n    }\n    organisations(first: 50) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AdminAuditPeopleDocument,
    "\n  query AdminAuditPerson($id: ID!) {\n    user(id: $id) {\n      id\n      displayName\n      email\n    }\n  }\n": typeof types.AdminAuditPersonDocument,
    "\n  query AdminFeedControl {\n    feedAllowList {\n      range\n      reason\n      source\n    }\n    feedReviews(state: HELD) {\n      changeId\n      heldAt\n      reason\n      added\n      listId\n      listName\n      values\n      author {\n        label\n      }\n    }\n    feedStops {\n      id\n      kind\n      value\n      listId\n      organisationId\n      reason\n      stoppedAt\n      liftedAt\n    }\n  }\n": typeof types.AdminFeedControlDocument,
    "\n  mutation AdminAddAllowRange($range: String!, $note: String!) {\n    addFeedAllowRange(range: $range, note: $note)\n  }\n": typeof types.AdminAddAllowRangeDocument,
    "\n  mutation AdminRemoveAllowRange($range: String!) {\n    removeFeedAllowRange(range: $range)\n  }\n": typeof types.AdminRemoveAllowRangeDocument,
    "\n  mutation AdminApproveFeedChange($id: Int!, $note: String!) {\n    approveFeedChange(changeId: $id, note: $note) {\n      changeId\n      state\n    }\n  }\n": typeof types.AdminApproveFeedChangeDocument,
    "\n  mutation AdminRefuseFeedChange($id: Int!, $note: String!) {\n    refuseFeedChange(changeId: $id, note: $note) {\n      changeId\n      state\n    }\n  }\n": typeof types.AdminRefuseFeedChangeDocument,
    "\n  mutation AdminStopInFeeds($i: FeedStopInput!) {\n    stopInFeeds(input: $i) {\n      id\n    }\n  }\n": typeof types.AdminStopInFeedsDocument,
    "\n  mutation AdminLiftFeedStop($id: Int!) {\n    liftFeedStop(id: $id) {\n      id\n    }\n  }\n": typeof types.AdminLiftFeedStopDocument,
    "\n  query AdminDirectory($name: String) {\n    organisations(first: 50, filter: { nameContains: $name }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          kind\n          status\n          domains\n          addressRanges\n          sector {\n            code\n          }\n          group {\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.AdminDirectoryDocument,
    "\n  query AdminGroups {\n    corporateGroups(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AdminGroupsDocument,
    "\n  mutation AdminCreateOrganisation($i: CreateOrganisationInput!) {\n    createOrganisation(input: $i) {\n      id\n    }\n  }\n": typeof types.AdminCreateOrganisationDocument,
    "\n  mutation AdminSuspendOrganisation($id: ID!) {\n    suspendOrganisation(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.AdminSuspendOrganisationDocument,
    "\n  mutation AdminReactivateOrganisation($id: ID!) {\n    reactivateOrganisation(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.AdminReactivateOrganisationDocument,
    "\n  mutation AdminCreateGroup($i: CreateCorporateGroupInput!) {\n    createCorporateGroup(input: $i) {\n      id\n    }\n  }\n": typeof types.AdminCreateGroupDocument,
    "\n  query SetupStatus {\n    hubStatus {\n      setupRequired\n    }\n  }\n": typeof types.SetupStatusDocument,
    "\n  mutation CompleteSetup($i: CompleteSetupInput!) {\n    completeSetup(input: $i) {\n      user {\n        email\n      }\n      organisation {\n        name\n      }\n    }\n  }\n": typeof types.CompleteSetupDocument,
    "\n  query AdminUsers($org: ID) {\n    users(first: 50, filter: { organisationId: $org }) {\n      totalCount\n      edges {\n        node {\n          id\n          email\n          displayName\n          role\n          status\n          emailVerifiedAt\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.AdminUsersDocument,
    "\n  mutation AdminCreateUser($i: CreateUserInput!) {\n    createUser(input: $i) {\n      id\n      email\n      emailVerifiedAt\n    }\n  }\n": typeof types.AdminCreateUserDocument,
    "\n  mutation AdminSetRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n": typeof types.AdminSetRoleDocument,
    "\n  mutation AdminSuspendUser($id: ID!) {\n    suspendUser(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.AdminSuspendUserDocument,
    "\n  mutation AdminReactivateUser($id: ID!) {\n    reactivateUser(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.AdminReactivateUserDocument,
    "\n  mutation AdminPasswordReset($id: ID!, $factors: Boolean) {\n    issuePasswordReset(id: $id, resetSecondFactors: $factors) {\n      token\n      expiresAt\n      resetsSecondFactors\n    }\n  }\n": typeof types.AdminPasswordResetDocument,
    "\n  mutation AdminEmailProof($id: ID!) {\n    issueEmailVerification(id: $id)\n  }\n": typeof types.AdminEmailProofDocument,
    "\n  query AdminWebhooks {\n    webhooks {\n      id\n      url\n      topic\n      status\n      attempts\n      failingSince\n      pausedReason\n      createdAt\n    }\n  }\n": typeof types.AdminWebhooksDocument,
    "\n  query AdminWebhookDeliveries($id: ID!) {\n    webhookDeliveries(id: $id, first: 50) {\n      eventId\n      at\n      attempt\n      statusCode\n      durationMs\n      error\n    }\n  }\n": typeof types.AdminWebhookDeliveriesDocument,
    "\n  mutation AdminCreateWebhook($i: CreateWebhookInput!) {\n    createWebhook(input: $i) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n": typeof types.AdminCreateWebhookDocument,
    "\n  mutation AdminDeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": typeof types.AdminDeleteWebhookDocument,
    "\n  mutation AdminResumeWebhook($id: ID!) {\n    resumeWebhook(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.AdminResumeWebhookDocument,
    "\n  query AlertRules {\n    myAlertRules {\n      id\n      topic\n      delivery\n      paused\n      createdAt\n      reportFilter {\n        kinds\n        markings\n        sectors\n        categories\n        events\n      }\n      listFilter {\n        markings\n        sectors\n        events\n      }\n    }\n    myAlertSends(first: 25) {\n      id\n      ruleId\n      period\n      status\n      events\n      attempts\n      lastError\n      nextAttemptAt\n      sentAt\n    }\n    myLanguage\n  }\n": typeof types.AlertRulesDocument,
    "\n  mutation CreateAlertRule($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateAlertRuleDocument,
    "\n  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.UpdateAlertRuleDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": typeof types.DeleteAlertRuleDocument,
    "\n  mutation PauseAlertRule($id: ID!, $paused: Boolean!) {\n    pauseAlertRule(id: $id, paused: $paused) {\n      id\n      paused\n    }\n  }\n": typeof types.PauseAlertRuleDocument,
    "\n  mutation SetAlertLanguage($language: Language!) {\n    setMyLanguage(language: $language)\n  }\n": typeof types.SetAlertLanguageDocument,
    "\n  mutation SendMyDigestsNow {\n    sendMyDigestsNow\n  }\n": typeof types.SendMyDigestsNowDocument,
    "\n  query Mailbox {\n    myMailbox(first: 50) {\n      id\n      subject\n      body\n      createdAt\n    }\n  }\n": typeof types.MailboxDocument,
    "\n  query AssistanceReport($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      tlp\n      anonymous\n      author {\n        own\n      }\n    }\n  }\n": typeof types.AssistanceReportDocument,
    "\n  mutation RequestAssistance($input: AssistanceRequestInput!) {\n    requestAssistance(input: $input) {\n      id\n    }\n  }\n": typeof types.RequestAssistanceDocument,
    "\n  query AssistanceRequests {\n    assistanceRequests {\n      id\n      body\n      status\n      createdAt\n      requester {\n        label\n        own\n      }\n      responses {\n        id\n      }\n    }\n  }\n": typeof types.AssistanceRequestsDocument,
    "\n  query AssistanceRequestView($id: ID!) {\n    assistanceRequest(id: $id) {\n      id\n      reportId\n      body\n      status\n      createdAt\n      closedAt\n      addressedOrganisationIds\n      requester {\n        label\n        own\n      }\n      responses {\n        id\n        body\n        createdAt\n        author {\n          label\n          own\n        }\n      }\n    }\n  }\n": typeof types.AssistanceRequestViewDocument,
    "\n  mutation RespondToAssistance($id: ID!, $body: String!) {\n    respondToAssistance(id: $id, body: $body) {\n      id\n    }\n  }\n": typeof types.RespondToAssistanceDocument,
    "\n  mutation CloseAssistanceRequest($id: ID!) {\n    closeAssistanceRequest(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CloseAssistanceRequestDocument,
    "\n  query ContactDirectory {\n    contactDirectory {\n      organisationId\n      organisationName\n      tlp\n      phone\n      email\n      openpgpKey\n      hours\n      escalation\n      lastConfirmedAt\n      confirmationOverdue\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n      }\n    }\n  }\n": typeof types.ContactDirectoryDocument,
    "\n  query ContactReminders {\n    contactReminders {\n      organisationId\n      organisationName\n      lastConfirmedAt\n    }\n  }\n": typeof types.ContactRemindersDocument,
    "\n  mutation SetContact($input: ContactInput!) {\n    setContact(input: $input) {\n      organisationId\n      lastConfirmedAt\n    }\n  }\n": typeof types.SetContactDocument,
    "\n  mutation ConfirmContact {\n    confirmContact {\n      organisationId\n      lastConfirmedAt\n    }\n  }\n": typeof types.ConfirmContactDocument,
    "\n  query Inbox(\n    $first: Int!\n    $filter: ReportFilter\n    $lists: Boolean!\n    $listFilter: IndicatorListFilter\n  ) {\n    reports(first: $first, filter: $filter) {\n      ...InboxReports\n    }\n    unreadReportCount\n    unreadReportCountCapped\n    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          createdAt\n          sectors\n          liveEntries\n          exercise\n          author {\n            label\n          }\n        }\n      }\n    }\n  }\n": typeof types.InboxDocument,
    "\n  query InboxFilterOptions {\n    reportFilterOptions {\n      categories\n      sectors\n    }\n  }\n": typeof types.InboxFilterOptionsDocument,
    "\n  fragment InboxReports on ReportConnection {\n    totalCount\n    totalCountCapped\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        title\n        kind\n        tlp\n        status\n        publishedAt\n        createdAt\n        exercise\n        unread\n        author {\n          label\n        }\n      }\n    }\n  }\n": typeof types.InboxReportsFragmentDoc,
    "\n  query InboxMore($after: String!, $filter: ReportFilter) {\n    reports(first: 50, after: $after, filter: $filter) {\n      ...InboxReports\n    }\n  }\n": typeof types.InboxMoreDocument,
    "\n  mutation InboxMarkAllRead {\n    markAllReportsRead\n  }\n": typeof types.InboxMarkAllReadDocument,
    "\n  mutation InboxSaveAsAlert($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n": typeof types.InboxSaveAsAlertDocument,
    "\n  subscription InboxReportEvents {\n    reportEvents {\n      cursor\n      kind\n    }\n  }\n": typeof types.InboxReportEventsDocument,
    "\n  subscription InboxListEvents {\n    listEvents {\n      cursor\n      kind\n    }\n  }\n": typeof types.InboxListEventsDocument,
    "\n  fragment ImportResult on EntryImportResult {\n    applied\n    added\n    resighted\n    rejectedCount\n    rejected {\n      line\n      where\n      input\n      message\n    }\n    suppressed {\n      line\n      where\n      input\n      message\n    }\n    warnings {\n      line\n      where\n      input\n      message\n    }\n    ignoredCount\n    ignored {\n      line\n      where\n      input\n      message\n    }\n    held {\n      reason\n    }\n  }\n": typeof types.ImportResultFragmentDoc,
    "\n  mutation AddListEntries($listId: ID!, $input: ListEntriesInput!) {\n    addListEntries(listId: $listId, input: $input) {\n      ...ImportResult\n    }\n  }\n": typeof types.AddListEntriesDocument,
    "\n  fragment ListIndexRow on IndicatorListConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        name\n        tlp\n        status\n        exercise\n        createdAt\n        liveEntries\n        author {\n          label\n        }\n      }\n    }\n  }\n": typeof types.ListIndexRowFragmentDoc,
    "\n  query ListIndex($first: Int!, $after: String, $filter: IndicatorListFilter) {\n    indicatorLists(first: $first, after: $after, filter: $filter) {\n      ...ListIndexRow\n    }\n  }\n": typeof types.ListIndexDocument,
    "\n  mutation CreateIndicatorList($input: IndicatorListInput!) {\n    createIndicatorList(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateIndicatorListDocument,
    "\n  fragment ListEntryPage on ListEntryConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        value\n        type\n        confidence\n        lastSeen\n        validUntil\n        expired\n      }\n    }\n  }\n": typeof types.ListEntryPageFragmentDoc,
    "\n  query ListView($id: ID!, $first: Int!, $filter: ListEntryFilter) {\n    indicatorList(id: $id) {\n      id\n      name\n      description\n      tlp\n      status\n      revision\n      createdAt\n      retractionReason\n      exercise\n      exerciseName\n      liveEntries\n      reportId\n      sectors\n      author {\n        label\n        own\n      }\n      entries(first: $first, filter: $filter) {\n        ...ListEntryPage\n      }\n    }\n  }\n": typeof types.ListViewDocument,
    "\n  query ListMoreEntries($id: ID!, $after: String!, $filter: ListEntryFilter) {\n    indicatorList(id: $id) {\n      id\n      entries(first: 100, after: $after, filter: $filter) {\n        ...ListEntryPage\n      }\n    }\n  }\n": typeof types.ListMoreEntriesDocument,
    "\n  query EntrySightings($value: String!) {\n    indicator(value: $value) {\n      value\n      sightings {\n        listId\n        listName\n        tlp\n        confidence\n        firstSeen\n        lastSeen\n        note\n        author {\n          label\n        }\n      }\n    }\n  }\n": typeof types.EntrySightingsDocument,
    "\n  query OwnOpenLists {\n    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n        }\n      }\n    }\n  }\n": typeof types.OwnOpenListsDocument,
    "\n  mutation RemoveListEntries($id: ID!, $values: [String!]!) {\n    removeListEntries(listId: $id, values: $values) {\n      removed\n      notFound\n    }\n  }\n": typeof types.RemoveListEntriesDocument,
    "\n  mutation ExpireIndicatorList($id: ID!) {\n    expireIndicatorList(id: $id) {\n      id\n    }\n  }\n": typeof types.ExpireIndicatorListDocument,
    "\n  mutation RetractIndicatorList($id: ID!, $reason: String!) {\n    retractIndicatorList(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.RetractIndicatorListDocument,
    "\n  query ReportLists($reportId: ID!) {\n    indicatorLists(first: 25, filter: { reportId: $reportId }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          liveEntries\n          author {\n            label\n          }\n        }\n      }\n    }\n  }\n": typeof types.ReportListsDocument,
    "\n  query LinkableLists {\n    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          reportId\n        }\n      }\n    }\n  }\n": typeof types.LinkableListsDocument,
    "\n  mutation LinkListToReport($id: ID!, $reportId: ID!) {\n    updateIndicatorList(id: $id, input: { reportId: $reportId }) {\n      id\n      reportId\n    }\n  }\n": typeof types.LinkListToReportDocument,
    "\n  mutation Login($i: LoginInput!) {\n    login(input: $i) {\n      secondFactorVerified\n      enrolmentRequired\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation LoginTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n": typeof types.LoginTotpDocument,
    "\n  mutation LoginRecovery($c: String!) {\n    verifyRecoveryCode(code: $c) {\n      secondFactorVerified\n    }\n  }\n": typeof types.LoginRecoveryDocument,
    "\n  mutation LoginStartOver {\n    logout\n  }\n": typeof types.LoginStartOverDocument,
    "\n  query ReportDraft($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      anonymous\n      exerciseName\n      categories\n      affectedSectors\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n        redRecipientEmails\n      }\n    }\n  }\n": typeof types.ReportDraftDocument,
    "\n  query EditorOwnKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n": typeof types.EditorOwnKindDocument,
    "\n  query EditorDrafts {\n    drafts: reports(first: 20, filter: { status: DRAFT }) {\n      edges {\n        node {\n          id\n          title\n          updatedAt\n        }\n      }\n    }\n  }\n": typeof types.EditorDraftsDocument,
    "\n  query RedRecipients($emails: [String!]!) {\n    redRecipientOrganisations(emails: $emails) {\n      email\n      organisationName\n    }\n  }\n": typeof types.RedRecipientsDocument,
    "\n  mutation CreateReport($input: ReportInput!) {\n    createReport(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateReportDocument,
    "\n  mutation UpdateReport($id: ID!, $input: ReportInput!) {\n    updateReport(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.UpdateReportDocument,
    "\n  mutation PreviewRedactions($id: ID!) {\n    previewReportRedactions(id: $id) {\n      previewHash\n      author {\n        labels\n        tooFewToHideIn\n      }\n      sections {\n        field\n        text\n        redactions {\n          start\n          end\n          kind\n          original\n          replacement\n        }\n      }\n    }\n  }\n": typeof types.PreviewRedactionsDocument,
    "\n  mutation PublishReport($id: ID!, $hash: String!) {\n    publishReport(id: $id, previewHash: $hash) {\n      id\n    }\n  }\n": typeof types.PublishReportDocument,
    "\n  query ReportView($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      revision\n      publishedAt\n      createdAt\n      retractionReason\n      exercise\n      exerciseName\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n      }\n      categories\n      affectedSectors\n      author {\n        label\n        own\n      }\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      linkedReports {\n        id\n        title\n        tlp\n      }\n      revisions {\n        revision\n        title\n        tlp\n        createdAt\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          label\n        }\n      }\n      sightings {\n        id\n        note\n        seenOn\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n": typeof types.ReportViewDocument,
    "\n  mutation AddComment($id: ID!, $body: String!) {\n    addReportComment(reportId: $id, body: $body) {\n      id\n    }\n  }\n": typeof types.AddCommentDocument,
    "\n  mutation RetractReport($id: ID!, $reason: String!) {\n    retractReport(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.RetractReportDocument,
    "\n  mutation MarkReportRead($id: ID!) {\n    markReportRead(id: $id)\n  }\n": typeof types.MarkReportReadDocument,
    "\n  mutation AddSighting($id: ID!, $note: String) {\n    addReportSighting(reportId: $id, note: $note) {\n      id\n    }\n  }\n": typeof types.AddSightingDocument,
    "\n  mutation ResetPassword($token: String!, $p: String!) {\n    resetPassword(token: $token, newPassword: $p)\n  }\n": typeof types.ResetPasswordDocument,
    "\n  query QuarterlySummary($quarter: String!) {\n    quarterlySummary(quarter: $quarter) {\n      quarter\n      suppressedBelow\n      markdown\n      counts {\n        quarter\n        category\n        sector\n        count\n        suppressed\n      }\n      lessons {\n        reportId\n        kind\n        title\n        author\n        categories\n        affectedSectors\n        lessonsLearned\n      }\n    }\n  }\n": typeof types.QuarterlySummaryDocument,
    "\n  query Statistics($from: String, $to: String) {\n    statistics(from: $from, to: $to) {\n      cells {\n        quarter\n        category\n        sector\n        count\n        suppressed\n      }\n      csv\n      suppressedBelow\n    }\n  }\n": typeof types.StatisticsDocument,
    "\n  query StatisticsOrganisationKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n": typeof types.StatisticsOrganisationKindDocument,
    "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token)\n  }\n": typeof types.VerifyEmailDocument,
};
const documents: Documents = {
    "\n  query Names {\n    sectors {\n      code\n      nameEn\n      nameJa\n    }\n    reportCategories {\n      code\n      nameEn\n      nameJa\n    }\n  }\n": types.NamesDocument,
    "\n  query Session {\n    me {\n      id\n      email\n      displayName\n      role\n      organisation {\n        id\n        name\n      }\n    }\n    mySecurity {\n      secondFactorVerified\n      totpEnabled\n      passkeys {\n        id\n      }\n    }\n  }\n": types.SessionDocument,
    "\n  mutation StartPasskeyAuthentication {\n    startPasskeyAuthentication {\n      challengeId\n      optionsJson\n    }\n  }\n": types.StartPasskeyAuthenticationDocument,
    "\n  mutation FinishPasskeyAuthentication($c: String!, $r: String!) {\n    finishPasskeyAuthentication(challengeId: $c, responseJson: $r) {\n      secondFactorVerified\n    }\n  }\n": types.FinishPasskeyAuthenticationDocument,
    "\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration {\n      challengeId\n      optionsJson\n    }\n  }\n": types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($c: String!, $r: String!, $n: String!) {\n    finishPasskeyRegistration(challengeId: $c, responseJson: $r, name: $n) {\n      recoveryCodes\n      passkey {\n        id\n      }\n    }\n  }\n": types.FinishPasskeyRegistrationDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  query AudienceOrganisations($ids: [ID!], $first: Int!) {\n    organisations(first: $first, filter: { ids: $ids }) {\n      edges {\n        node {\n          id\n          name\n          kind\n        }\n      }\n    }\n  }\n": types.AudienceOrganisationsDocument,
    "\n  query AudienceGroups($ids: [ID!], $first: Int!) {\n    corporateGroups(first: $first, filter: { ids: $ids }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AudienceGroupsDocument,
    "\n  query PickerOrganisations($first: Int!, $search: String, $ids: [ID!]) {\n    organisations(first: $first, filter: { nameContains: $search, ids: $ids }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          kind\n        }\n      }\n    }\n  }\n": types.PickerOrganisationsDocument,
    "\n  query PickerGroups($first: Int!, $search: String, $ids: [ID!]) {\n    corporateGroups(first: $first, filter: { nameContains: $search, ids: $ids }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.PickerGroupsDocument,
    "\n  query MyOrganisationKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n": types.MyOrganisationKindDocument,
    "\n  mutation RemoveExercise($name: String!) {\n    removeExercise(name: $name)\n  }\n": types.RemoveExerciseDocument,
    "\n  mutation LowerReportMarking($id: ID!, $tlp: Tlp!, $audience: AudienceInput, $reason: String!) {\n    lowerReportMarking(id: $id, tlp: $tlp, audience: $audience, reason: $reason) {\n      id\n      tlp\n    }\n  }\n": types.LowerReportMarkingDocument,
    "\n  subscription CentreReportEvents {\n    reportEvents(filter: { events: [PUBLISHED] }) {\n      cursor\n      report {\n        id\n        title\n        tlp\n      }\n    }\n  }\n": types.CentreReportEventsDocument,
    "\n  subscription CentreListEvents {\n    listEvents(filter: { events: [CREATED] }) {\n      cursor\n      list {\n        id\n        name\n        tlp\n      }\n    }\n  }\n": types.CentreListEventsDocument,
    "\n  mutation StepUpTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n": types.StepUpTotpDocument,
    "\n  query Account {\n    mySecurity {\n      totpEnabled\n      recoveryCodesRemaining\n      passwordlessEnabled\n      secondFactorVerified\n      passkeys {\n        id\n        name\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n": types.AccountDocument,
    "\n  query MySessions {\n    mySessions {\n      id\n      current\n      createdAt\n      lastSeenAt\n      userAgent\n      clientAddress\n      secondFactorVerified\n    }\n  }\n": types.MySessionsDocument,
    "\n  mutation StartTotp {\n    startTotpEnrolment {\n      qrCodeSvg\n      secret\n    }\n  }\n": types.StartTotpDocument,
    "\n  mutation ConfirmTotp($c: String!) {\n    confirmTotpEnrolment(code: $c) {\n      active\n      recoveryCodes\n    }\n  }\n": types.ConfirmTotpDocument,
    "\n  mutation RemoveTotp {\n    removeTotp\n  }\n": types.RemoveTotpDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n": types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n": types.RemovePasskeyDocument,
    "\n  mutation SetPasswordless($e: Boolean!) {\n    setPasswordlessLogin(enabled: $e)\n  }\n": types.SetPasswordlessDocument,
    "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n": types.RegenerateRecoveryCodesDocument,
    "\n  mutation ChangePassword($c: String!, $n: String!) {\n    changePassword(currentPassword: $c, newPassword: $n)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n": types.RevokeSessionDocument,
    "\n  mutation LogoutEverywhere {\n    logoutEverywhere\n  }\n": types.LogoutEverywhereDocument,
    "\n  query AdminApiTokens {\n    apiTokens {\n      id\n      name\n      tokenPrefix\n      scopes\n      allowedRanges\n      createdAt\n      expiresAt\n      lastUsedAt\n      lastUsedAddress\n      revokedAt\n    }\n  }\n": types.AdminApiTokensDocument,
    "\n  mutation AdminCreateApiToken($i: CreateApiTokenInput!) {\n    createApiToken(input: $i) {\n      token\n      apiToken {\n        id\n        name\n        scopes\n      }\n    }\n  }\n": types.AdminCreateApiTokenDocument,
    "\n  mutation AdminRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.AdminRevokeApiTokenDocument,
    "\n  query AdminAudit($after: String, $filter: AuditLogFilter) {\n    auditLog(first: 50, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          at\n          action\n          outcome\n          actorUserId\n          actorOrganisationId\n          organisationId\n          targetType\n          targetId\n          clientAddress\n          detailsJson\n        }\n      }\n    }\n  }\n": types.AdminAuditDocument,
    "\n  query AdminAuditPeople($org: ID) {\n    users(first: 50, filter: { organisationId: $org }) {\n      edges {\n        node {\n          id\n          displayName\n          email\n        }\n      }\n    }\n    organisations(first: 50) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AdminAuditPeopleDocument,
    "\n  query AdminAuditPerson($id: ID!) {\n    user(id: $id) {\n      id\n      displayName\n      email\n    }\n  }\n": types.AdminAuditPersonDocument,
    "\n  query AdminFeedControl {\n    feedAllowList {\n      range\n      reason\n      source\n    }\n    feedReviews(state: HELD) {\n      changeId\n      heldAt\n      reason\n      added\n      listId\n      listName\n      values\n      author {\n        label\n      }\n    }\n    feedStops {\n      id\n      kind\n      value\n      listId\n      organisationId\n      reason\n      stoppedAt\n      liftedAt\n    }\n  }\n": types.AdminFeedControlDocument,
    "\n  mutation AdminAddAllowRange($range: String!, $note: String!) {\n    addFeedAllowRange(range: $range, note: $note)\n  }\n": types.AdminAddAllowRangeDocument,
    "\n  mutation AdminRemoveAllowRange($range: String!) {\n    removeFeedAllowRange(range: $range)\n  }\n": types.AdminRemoveAllowRangeDocument,
    "\n  mutation AdminApproveFeedChange($id: Int!, $note: String!) {\n    approveFeedChange(changeId: $id, note: $note) {\n      changeId\n      state\n    }\n  }\n": types.AdminApproveFeedChangeDocument,
    "\n  mutation AdminRefuseFeedChange($id: Int!, $note: String!) {\n    refuseFeedChange(changeId: $id, note: $note) {\n      changeId\n      state\n    }\n  }\n": types.AdminRefuseFeedChangeDocument,
    "\n  mutation AdminStopInFeeds($i: FeedStopInput!) {\n    stopInFeeds(input: $i) {\n      id\n    }\n  }\n": types.AdminStopInFeedsDocument,
    "\n  mutation AdminLiftFeedStop($id: Int!) {\n    liftFeedStop(id: $id) {\n      id\n    }\n  }\n": types.AdminLiftFeedStopDocument,
    "\n  query AdminDirectory($name: String) {\n    organisations(first: 50, filter: { nameContains: $name }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          kind\n          status\n          domains\n          addressRanges\n          sector {\n            code\n          }\n          group {\n            name\n          }\n        }\n      }\n    }\n  }\n": types.AdminDirectoryDocument,
    "\n  query AdminGroups {\n    corporateGroups(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AdminGroupsDocument,
    "\n  mutation AdminCreateOrganisation($i: CreateOrganisationInput!) {\n    createOrganisation(input: $i) {\n      id\n    }\n  }\n": types.AdminCreateOrganisationDocument,
    "\n  mutation AdminSuspendOrganisation($id: ID!) {\n    suspendOrganisation(id: $id) {\n      id\n      status\n    }\n  }\n": types.AdminSuspendOrganisationDocument,
    "\n  mutation AdminReactivateOrganisation($id: ID!) {\n    reactivateOrganisation(id: $id) {\n      id\n      status\n    }\n  }\n": types.AdminReactivateOrganisationDocument,
    "\n  mutation AdminCreateGroup($i: CreateCorporateGroupInput!) {\n    createCorporateGroup(input: $i) {\n      id\n    }\n  }\n": types.AdminCreateGroupDocument,
    "\n  query SetupStatus {\n    hubStatus {\n      setupRequired\n    }\n  }\n": types.SetupStatusDocument,
    "\n  mutation CompleteSetup($i: CompleteSetupInput!) {\n    completeSetup(input: $i) {\n      user {\n        email\n      }\n      organisation {\n        name\n      }\n    }\n  }\n": types.CompleteSetupDocument,
    "\n  query AdminUsers($org: ID) {\n    users(first: 50, filter: { organisationId: $org }) {\n      totalCount\n      edges {\n        node {\n          id\n          email\n          displayName\n          role\n          status\n          emailVerifiedAt\n          createdAt\n        }\n      }\n    }\n  }\n": types.AdminUsersDocument,
    "\n  mutation AdminCreateUser($i: CreateUserInput!) {\n    createUser(input: $i) {\n      id\n      email\n      emailVerifiedAt\n    }\n  }\n": types.AdminCreateUserDocument,
    "\n  mutation AdminSetRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n": types.AdminSetRoleDocument,
    "\n  mutation AdminSuspendUser($id: ID!) {\n    suspendUser(id: $id) {\n      id\n      status\n    }\n  }\n": types.AdminSuspendUserDocument,
    "\n  mutation AdminReactivateUser($id: ID!) {\n    reactivateUser(id: $id) {\n      id\n      status\n    }\n  }\n": types.AdminReactivateUserDocument,
    "\n  mutation AdminPasswordReset($id: ID!, $factors: Boolean) {\n    issuePasswordReset(id: $id, resetSecondFactors: $factors) {\n      token\n      expiresAt\n      resetsSecondFactors\n    }\n  }\n": types.AdminPasswordResetDocument,
    "\n  mutation AdminEmailProof($id: ID!) {\n    issueEmailVerification(id: $id)\n  }\n": types.AdminEmailProofDocument,
    "\n  query AdminWebhooks {\n    webhooks {\n      id\n      url\n      topic\n      status\n      attempts\n      failingSince\n      pausedReason\n      createdAt\n    }\n  }\n": types.AdminWebhooksDocument,
    "\n  query AdminWebhookDeliveries($id: ID!) {\n    webhookDeliveries(id: $id, first: 50) {\n      eventId\n      at\n      attempt\n      statusCode\n      durationMs\n      error\n    }\n  }\n": types.AdminWebhookDeliveriesDocument,
    "\n  mutation AdminCreateWebhook($i: CreateWebhookInput!) {\n    createWebhook(input: $i) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n": types.AdminCreateWebhookDocument,
    "\n  mutation AdminDeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": types.AdminDeleteWebhookDocument,
    "\n  mutation AdminResumeWebhook($id: ID!) {\n    resumeWebhook(id: $id) {\n      id\n      status\n    }\n  }\n": types.AdminResumeWebhookDocument,
    "\n  query AlertRules {\n    myAlertRules {\n      id\n      topic\n      delivery\n      paused\n      createdAt\n      reportFilter {\n        kinds\n        markings\n        sectors\n        categories\n        events\n      }\n      listFilter {\n        markings\n        sectors\n        events\n      }\n    }\n    myAlertSends(first: 25) {\n      id\n      ruleId\n      period\n      status\n      events\n      attempts\n      lastError\n      nextAttemptAt\n      sentAt\n    }\n    myLanguage\n  }\n": types.AlertRulesDocument,
    "\n  mutation CreateAlertRule($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n": types.CreateAlertRuleDocument,
    "\n  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      id\n    }\n  }\n": types.UpdateAlertRuleDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": types.DeleteAlertRuleDocument,
    "\n  mutation PauseAlertRule($id: ID!, $paused: Boolean!) {\n    pauseAlertRule(id: $id, paused: $paused) {\n      id\n      paused\n    }\n  }\n": types.PauseAlertRuleDocument,
    "\n  mutation SetAlertLanguage($language: Language!) {\n    setMyLanguage(language: $language)\n  }\n": types.SetAlertLanguageDocument,
    "\n  mutation SendMyDigestsNow {\n    sendMyDigestsNow\n  }\n": types.SendMyDigestsNowDocument,
    "\n  query Mailbox {\n    myMailbox(first: 50) {\n      id\n      subject\n      body\n      createdAt\n    }\n  }\n": types.MailboxDocument,
    "\n  query AssistanceReport($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      tlp\n      anonymous\n      author {\n        own\n      }\n    }\n  }\n": types.AssistanceReportDocument,
    "\n  mutation RequestAssistance($input: AssistanceRequestInput!) {\n    requestAssistance(input: $input) {\n      id\n    }\n  }\n": types.RequestAssistanceDocument,
    "\n  query AssistanceRequests {\n    assistanceRequests {\n      id\n      body\n      status\n      createdAt\n      requester {\n        label\n        own\n      }\n      responses {\n        id\n      }\n    }\n  }\n": types.AssistanceRequestsDocument,
    "\n  query AssistanceRequestView($id: ID!) {\n    assistanceRequest(id: $id) {\n      id\n      reportId\n      body\n      status\n      createdAt\n      closedAt\n      addressedOrganisationIds\n      requester {\n        label\n        own\n      }\n      responses {\n        id\n        body\n        createdAt\n        author {\n          label\n          own\n        }\n      }\n    }\n  }\n": types.AssistanceRequestViewDocument,
    "\n  mutation RespondToAssistance($id: ID!, $body: String!) {\n    respondToAssistance(id: $id, body: $body) {\n      id\n    }\n  }\n": types.RespondToAssistanceDocument,
    "\n  mutation CloseAssistanceRequest($id: ID!) {\n    closeAssistanceRequest(id: $id) {\n      id\n      status\n    }\n  }\n": types.CloseAssistanceRequestDocument,
    "\n  query ContactDirectory {\n    contactDirectory {\n      organisationId\n      organisationName\n      tlp\n      phone\n      email\n      openpgpKey\n      hours\n      escalation\n      lastConfirmedAt\n      confirmationOverdue\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n      }\n    }\n  }\n": types.ContactDirectoryDocument,
    "\n  query ContactReminders {\n    contactReminders {\n      organisationId\n      organisationName\n      lastConfirmedAt\n    }\n  }\n": types.ContactRemindersDocument,
    "\n  mutation SetContact($input: ContactInput!) {\n    setContact(input: $input) {\n      organisationId\n      lastConfirmedAt\n    }\n  }\n": types.SetContactDocument,
    "\n  mutation ConfirmContact {\n    confirmContact {\n      organisationId\n      lastConfirmedAt\n    }\n  }\n": types.ConfirmContactDocument,
    "\n  query Inbox(\n    $first: Int!\n    $filter: ReportFilter\n    $lists: Boolean!\n    $listFilter: IndicatorListFilter\n  ) {\n    reports(first: $first, filter: $filter) {\n      ...InboxReports\n    }\n    unreadReportCount\n    unreadReportCountCapped\n    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          createdAt\n          sectors\n          liveEntries\n          exercise\n          author {\n            label\n          }\n        }\n      }\n    }\n  }\n": types.InboxDocument,
    "\n  query InboxFilterOptions {\n    reportFilterOptions {\n      categories\n      sectors\n    }\n  }\n": types.InboxFilterOptionsDocument,
    "\n  fragment InboxReports on ReportConnection {\n    totalCount\n    totalCountCapped\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        title\n        kind\n        tlp\n        status\n        publishedAt\n        createdAt\n        exercise\n        unread\n        author {\n          label\n        }\n      }\n    }\n  }\n": types.InboxReportsFragmentDoc,
    "\n  query InboxMore($after: String!, $filter: ReportFilter) {\n    reports(first: 50, after: $after, filter: $filter) {\n      ...InboxReports\n    }\n  }\n": types.InboxMoreDocument,
    "\n  mutation InboxMarkAllRead {\n    markAllReportsRead\n  }\n": types.InboxMarkAllReadDocument,
    "\n  mutation InboxSaveAsAlert($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n": types.InboxSaveAsAlertDocument,
    "\n  subscription InboxReportEvents {\n    reportEvents {\n      cursor\n      kind\n    }\n  }\n": types.InboxReportEventsDocument,
    "\n  subscription InboxListEvents {\n    listEvents {\n      cursor\n      kind\n    }\n  }\n": types.InboxListEventsDocument,
    "\n  fragment ImportResult on EntryImportResult {\n    applied\n    added\n    resighted\n    rejectedCount\n    rejected {\n      line\n      where\n      input\n      message\n    }\n    suppressed {\n      line\n      where\n      input\n      message\n    }\n    warnings {\n      line\n      where\n      input\n      message\n    }\n    ignoredCount\n    ignored {\n      line\n      where\n      input\n      message\n    }\n    held {\n      reason\n    }\n  }\n": types.ImportResultFragmentDoc,
    "\n  mutation AddListEntries($listId: ID!, $input: ListEntriesInput!) {\n    addListEntries(listId: $listId, input: $input) {\n      ...ImportResult\n    }\n  }\n": types.AddListEntriesDocument,
    "\n  fragment ListIndexRow on IndicatorListConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        name\n        tlp\n        status\n        exercise\n        createdAt\n        liveEntries\n        author {\n          label\n        }\n      }\n    }\n  }\n": types.ListIndexRowFragmentDoc,
    "\n  query ListIndex($first: Int!, $after: String, $filter: IndicatorListFilter) {\n    indicatorLists(first: $first, after: $after, filter: $filter) {\n      ...ListIndexRow\n    }\n  }\n": types.ListIndexDocument,
    "\n  mutation CreateIndicatorList($input: IndicatorListInput!) {\n    createIndicatorList(input: $input) {\n      id\n    }\n  }\n": types.CreateIndicatorListDocument,
    "\n  fragment ListEntryPage on ListEntryConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        value\n        type\n        confidence\n        lastSeen\n        validUntil\n        expired\n      }\n    }\n  }\n": types.ListEntryPageFragmentDoc,
    "\n  query ListView($id: ID!, $first: Int!, $filter: ListEntryFilter) {\n    indicatorList(id: $id) {\n      id\n      name\n      description\n      tlp\n      status\n      revision\n      createdAt\n      retractionReason\n      exercise\n      exerciseName\n      liveEntries\n      reportId\n      sectors\n      author {\n        label\n        own\n      }\n      entries(first: $first, filter: $filter) {\n        ...ListEntryPage\n      }\n    }\n  }\n": types.ListViewDocument,
    "\n  query ListMoreEntries($id: ID!, $after: String!, $filter: ListEntryFilter) {\n    indicatorList(id: $id) {\n      id\n      entries(first: 100, after: $after, filter: $filter) {\n        ...ListEntryPage\n      }\n    }\n  }\n": types.ListMoreEntriesDocument,
    "\n  query EntrySightings($value: String!) {\n    indicator(value: $value) {\n      value\n      sightings {\n        listId\n        listName\n        tlp\n        confidence\n        firstSeen\n        lastSeen\n        note\n        author {\n          label\n        }\n      }\n    }\n  }\n": types.EntrySightingsDocument,
    "\n  query OwnOpenLists {\n    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n        }\n      }\n    }\n  }\n": types.OwnOpenListsDocument,
    "\n  mutation RemoveListEntries($id: ID!, $values: [String!]!) {\n    removeListEntries(listId: $id, values: $values) {\n      removed\n      notFound\n    }\n  }\n": types.RemoveListEntriesDocument,
    "\n  mutation ExpireIndicatorList($id: ID!) {\n    expireIndicatorList(id: $id) {\n      id\n    }\n  }\n": types.ExpireIndicatorListDocument,
    "\n  mutation RetractIndicatorList($id: ID!, $reason: String!) {\n    retractIndicatorList(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.RetractIndicatorListDocument,
    "\n  query ReportLists($reportId: ID!) {\n    indicatorLists(first: 25, filter: { reportId: $reportId }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          liveEntries\n          author {\n            label\n          }\n        }\n      }\n    }\n  }\n": types.ReportListsDocument,
    "\n  query LinkableLists {\n    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          reportId\n        }\n      }\n    }\n  }\n": types.LinkableListsDocument,
    "\n  mutation LinkListToReport($id: ID!, $reportId: ID!) {\n    updateIndicatorList(id: $id, input: { reportId: $reportId }) {\n      id\n      reportId\n    }\n  }\n": types.LinkListToReportDocument,
    "\n  mutation Login($i: LoginInput!) {\n    login(input: $i) {\n      secondFactorVerified\n      enrolmentRequired\n    }\n  }\n": types.LoginDocument,
    "\n  mutation LoginTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n": types.LoginTotpDocument,
    "\n  mutation LoginRecovery($c: String!) {\n    verifyRecoveryCode(code: $c) {\n      secondFactorVerified\n    }\n  }\n": types.LoginRecoveryDocument,
    "\n  mutation LoginStartOver {\n    logout\n  }\n": types.LoginStartOverDocument,
    "\n  query ReportDraft($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      anonymous\n      exerciseName\n      categories\n      affectedSectors\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n        redRecipientEmails\n      }\n    }\n  }\n": types.ReportDraftDocument,
    "\n  query EditorOwnKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n": types.EditorOwnKindDocument,
    "\n  query EditorDrafts {\n    drafts: reports(first: 20, filter: { status: DRAFT }) {\n      edges {\n        node {\n          id\n          title\n          updatedAt\n        }\n      }\n    }\n  }\n": types.EditorDraftsDocument,
    "\n  query RedRecipients($emails: [String!]!) {\n    redRecipientOrganisations(emails: $emails) {\n      email\n      organisationName\n    }\n  }\n": types.RedRecipientsDocument,
    "\n  mutation CreateReport($input: ReportInput!) {\n    createReport(input: $input) {\n      id\n    }\n  }\n": types.CreateReportDocument,
    "\n  mutation UpdateReport($id: ID!, $input: ReportInput!) {\n    updateReport(id: $id, input: $input) {\n      id\n    }\n  }\n": types.UpdateReportDocument,
    "\n  mutation PreviewRedactions($id: ID!) {\n    previewReportRedactions(id: $id) {\n      previewHash\n      author {\n        labels\n        tooFewToHideIn\n      }\n      sections {\n        field\n        text\n        redactions {\n          start\n          end\n          kind\n          original\n          replacement\n        }\n      }\n    }\n  }\n": types.PreviewRedactionsDocument,
    "\n  mutation PublishReport($id: ID!, $hash: String!) {\n    publishReport(id: $id, previewHash: $hash) {\n      id\n    }\n  }\n": types.PublishReportDocument,
    "\n  query ReportView($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      revision\n      publishedAt\n      createdAt\n      retractionReason\n      exercise\n      exerciseName\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n      }\n      categories\n      affectedSectors\n      author {\n        label\n        own\n      }\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      linkedReports {\n        id\n        title\n        tlp\n      }\n      revisions {\n        revision\n        title\n        tlp\n        createdAt\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          label\n        }\n      }\n      sightings {\n        id\n        note\n        seenOn\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n": types.ReportViewDocument,
    "\n  mutation AddComment($id: ID!, $body: String!) {\n    addReportComment(reportId: $id, body: $body) {\n      id\n    }\n  }\n": types.AddCommentDocument,
    "\n  mutation RetractReport($id: ID!, $reason: String!) {\n    retractReport(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.RetractReportDocument,
    "\n  mutation MarkReportRead($id: ID!) {\n    markReportRead(id: $id)\n  }\n": types.MarkReportReadDocument,
    "\n  mutation AddSighting($id: ID!, $note: String) {\n    addReportSighting(reportId: $id, note: $note) {\n      id\n    }\n  }\n": types.AddSightingDocument,
    "\n  mutation ResetPassword($token: String!, $p: String!) {\n    resetPassword(token: $token, newPassword: $p)\n  }\n": types.ResetPasswordDocument,
    "\n  query QuarterlySummary($quarter: String!) {\n    quarterlySummary(quarter: $quarter) {\n      quarter\n      suppressedBelow\n      markdown\n      counts {\n        quarter\n        category\n        sector\n        count\n        suppressed\n      }\n      lessons {\n        reportId\n        kind\n        title\n        author\n        categories\n        affectedSectors\n        lessonsLearned\n      }\n    }\n  }\n": types.QuarterlySummaryDocument,
    "\n  query Statistics($from: String, $to: String) {\n    statistics(from: $from, to: $to) {\n      cells {\n        quarter\n        category\n        sector\n        count\n        suppressed\n      }\n      csv\n      suppressedBelow\n    }\n  }\n": types.StatisticsDocument,
    "\n  query StatisticsOrganisationKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n": types.StatisticsOrganisationKindDocument,
    "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token)\n  }\n": types.VerifyEmailDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Names {\n    sectors {\n      code\n      nameEn\n      nameJa\n    }\n    reportCategories {\n      code\n      nameEn\n      nameJa\n    }\n  }\n"): (typeof documents)["\n  query Names {\n    sectors {\n      code\n      nameEn\n      nameJa\n    }\n    reportCategories {\n      code\n      nameEn\n      nameJa\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Session {\n    me {\n      id\n      email\n      displayName\n      role\n      organisation {\n        id\n        name\n      }\n    }\n    mySecurity {\n      secondFactorVerified\n      totpEnabled\n      passkeys {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  query Session {\n    me {\n      id\n      email\n      displayName\n      role\n      organisation {\n        id\n        name\n      }\n    }\n    mySecurity {\n      secondFactorVerified\n      totpEnabled\n      passkeys {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartPasskeyAuthentication {\n    startPasskeyAuthentication {\n      challengeId\n      optionsJson\n    }\n  }\n"): (typeof documents)["\n  mutation StartPasskeyAuthentication {\n    startPasskeyAuthentication {\n      challengeId\n      optionsJson\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishPasskeyAuthentication($c: String!, $r: String!) {\n    finishPasskeyAuthentication(challengeId: $c, responseJson: $r) {\n      secondFactorVerified\n    }\n  }\n"): (typeof documents)["\n  mutation FinishPasskeyAuthentication($c: String!, $r: String!) {\n    finishPasskeyAuthentication(challengeId: $c, responseJson: $r) {\n      secondFactorVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration {\n      challengeId\n      optionsJson\n    }\n  }\n"): (typeof documents)["\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration {\n      challengeId\n      optionsJson\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishPasskeyRegistration($c: String!, $r: String!, $n: String!) {\n    finishPasskeyRegistration(challengeId: $c, responseJson: $r, name: $n) {\n      recoveryCodes\n      passkey {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation FinishPasskeyRegistration($c: String!, $r: String!, $n: String!) {\n    finishPasskeyRegistration(challengeId: $c, responseJson: $r, name: $n) {\n      recoveryCodes\n      passkey {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AudienceOrganisations($ids: [ID!], $first: Int!) {\n    organisations(first: $first, filter: { ids: $ids }) {\n      edges {\n        node {\n          id\n          name\n          kind\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AudienceOrganisations($ids: [ID!], $first: Int!) {\n    organisations(first: $first, filter: { ids: $ids }) {\n      edges {\n        node {\n          id\n          name\n          kind\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AudienceGroups($ids: [ID!], $first: Int!) {\n    corporateGroups(first: $first, filter: { ids: $ids }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AudienceGroups($ids: [ID!], $first: Int!) {\n    corporateGroups(first: $first, filter: { ids: $ids }) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickerOrganisations($first: Int!, $search: String, $ids: [ID!]) {\n    organisations(first: $first, filter: { nameContains: $search, ids: $ids }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          kind\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PickerOrganisations($first: Int!, $search: String, $ids: [ID!]) {\n    organisations(first: $first, filter: { nameContains: $search, ids: $ids }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          kind\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickerGroups($first: Int!, $search: String, $ids: [ID!]) {\n    corporateGroups(first: $first, filter: { nameContains: $search, ids: $ids }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PickerGroups($first: Int!, $search: String, $ids: [ID!]) {\n    corporateGroups(first: $first, filter: { nameContains: $search, ids: $ids }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyOrganisationKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyOrganisationKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveExercise($name: String!) {\n    removeExercise(name: $name)\n  }\n"): (typeof documents)["\n  mutation RemoveExercise($name: String!) {\n    removeExercise(name: $name)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LowerReportMarking($id: ID!, $tlp: Tlp!, $audience: AudienceInput, $reason: String!) {\n    lowerReportMarking(id: $id, tlp: $tlp, audience: $audience, reason: $reason) {\n      id\n      tlp\n    }\n  }\n"): (typeof documents)["\n  mutation LowerReportMarking($id: ID!, $tlp: Tlp!, $audience: AudienceInput, $reason: String!) {\n    lowerReportMarking(id: $id, tlp: $tlp, audience: $audience, reason: $reason) {\n      id\n      tlp\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CentreReportEvents {\n    reportEvents(filter: { events: [PUBLISHED] }) {\n      cursor\n      report {\n        id\n        title\n        tlp\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription CentreReportEvents {\n    reportEvents(filter: { events: [PUBLISHED] }) {\n      cursor\n      report {\n        id\n        title\n        tlp\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CentreListEvents {\n    listEvents(filter: { events: [CREATED] }) {\n      cursor\n      list {\n        id\n        name\n        tlp\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription CentreListEvents {\n    listEvents(filter: { events: [CREATED] }) {\n      cursor\n      list {\n        id\n        name\n        tlp\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StepUpTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n"): (typeof documents)["\n  mutation StepUpTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Account {\n    mySecurity {\n      totpEnabled\n      recoveryCodesRemaining\n      passwordlessEnabled\n      secondFactorVerified\n      passkeys {\n        id\n        name\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query Account {\n    mySecurity {\n      totpEnabled\n      recoveryCodesRemaining\n      passwordlessEnabled\n      secondFactorVerified\n      passkeys {\n        id\n        name\n        createdAt\n        lastUsedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySessions {\n    mySessions {\n      id\n      current\n      createdAt\n      lastSeenAt\n      userAgent\n      clientAddress\n      secondFactorVerified\n    }\n  }\n"): (typeof documents)["\n  query MySessions {\n    mySessions {\n      id\n      current\n      createdAt\n      lastSeenAt\n      userAgent\n      clientAddress\n      secondFactorVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTotp {\n    startTotpEnrolment {\n      qrCodeSvg\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation StartTotp {\n    startTotpEnrolment {\n      qrCodeSvg\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotp($c: String!) {\n    confirmTotpEnrolment(code: $c) {\n      active\n      recoveryCodes\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmTotp($c: String!) {\n    confirmTotpEnrolment(code: $c) {\n      active\n      recoveryCodes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveTotp {\n    removeTotp\n  }\n"): (typeof documents)["\n  mutation RemoveTotp {\n    removeTotp\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetPasswordless($e: Boolean!) {\n    setPasswordlessLogin(enabled: $e)\n  }\n"): (typeof documents)["\n  mutation SetPasswordless($e: Boolean!) {\n    setPasswordlessLogin(enabled: $e)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n"): (typeof documents)["\n  mutation RegenerateRecoveryCodes {\n    regenerateRecoveryCodes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($c: String!, $n: String!) {\n    changePassword(currentPassword: $c, newPassword: $n)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($c: String!, $n: String!) {\n    changePassword(currentPassword: $c, newPassword: $n)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeSession($id: ID!) {\n    revokeSession(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogoutEverywhere {\n    logoutEverywhere\n  }\n"): (typeof documents)["\n  mutation LogoutEverywhere {\n    logoutEverywhere\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminApiTokens {\n    apiTokens {\n      id\n      name\n      tokenPrefix\n      scopes\n      allowedRanges\n      createdAt\n      expiresAt\n      lastUsedAt\n      lastUsedAddress\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query AdminApiTokens {\n    apiTokens {\n      id\n      name\n      tokenPrefix\n      scopes\n      allowedRanges\n      createdAt\n      expiresAt\n      lastUsedAt\n      lastUsedAddress\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateApiToken($i: CreateApiTokenInput!) {\n    createApiToken(input: $i) {\n      token\n      apiToken {\n        id\n        name\n        scopes\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateApiToken($i: CreateApiTokenInput!) {\n    createApiToken(input: $i) {\n      token\n      apiToken {\n        id\n        name\n        scopes\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAudit($after: String, $filter: AuditLogFilter) {\n    auditLog(first: 50, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          at\n          action\n          outcome\n          actorUserId\n          actorOrganisationId\n          organisationId\n          targetType\n          targetId\n          clientAddress\n          detailsJson\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminAudit($after: String, $filter: AuditLogFilter) {\n    auditLog(first: 50, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          at\n          action\n          outcome\n          actorUserId\n          actorOrganisationId\n          organisationId\n          targetType\n          targetId\n          clientAddress\n          detailsJson\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAuditPeople($org: ID) {\n    users(first: 50, filter: { organisationId: $org }) {\n      edges {\n        node {\n          id\n          displayName\n          email\n        }\n      }\n    }\n    organisations(first: 50) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminAuditPeople($org: ID) {\n    users(first: 50, filter: { organisationId: $org }) {\n      edges {\n        node {\n          id\n          displayName\n          email\n        }\n      }\n    }\n    organisations(first: 50) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAuditPerson($id: ID!) {\n    user(id: $id) {\n      id\n      displayName\n      email\n    }\n  }\n"): (typeof documents)["\n  query AdminAuditPerson($id: ID!) {\n    user(id: $id) {\n      id\n      displayName\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminFeedControl {\n    feedAllowList {\n      range\n      reason\n      source\n    }\n    feedReviews(state: HELD) {\n      changeId\n      heldAt\n      reason\n      added\n      listId\n      listName\n      values\n      author {\n        label\n      }\n    }\n    feedStops {\n      id\n      kind\n      value\n      listId\n      organisationId\n      reason\n      stoppedAt\n      liftedAt\n    }\n  }\n"): (typeof documents)["\n  query AdminFeedControl {\n    feedAllowList {\n      range\n      reason\n      source\n    }\n    feedReviews(state: HELD) {\n      changeId\n      heldAt\n      reason\n      added\n      listId\n      listName\n      values\n      author {\n        label\n      }\n    }\n    feedStops {\n      id\n      kind\n      value\n      listId\n      organisationId\n      reason\n      stoppedAt\n      liftedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminAddAllowRange($range: String!, $note: String!) {\n    addFeedAllowRange(range: $range, note: $note)\n  }\n"): (typeof documents)["\n  mutation AdminAddAllowRange($range: String!, $note: String!) {\n    addFeedAllowRange(range: $range, note: $note)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRemoveAllowRange($range: String!) {\n    removeFeedAllowRange(range: $range)\n  }\n"): (typeof documents)["\n  mutation AdminRemoveAllowRange($range: String!) {\n    removeFeedAllowRange(range: $range)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminApproveFeedChange($id: Int!, $note: String!) {\n    approveFeedChange(changeId: $id, note: $note) {\n      changeId\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation AdminApproveFeedChange($id: Int!, $note: String!) {\n    approveFeedChange(changeId: $id, note: $note) {\n      changeId\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRefuseFeedChange($id: Int!, $note: String!) {\n    refuseFeedChange(changeId: $id, note: $note) {\n      changeId\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRefuseFeedChange($id: Int!, $note: String!) {\n    refuseFeedChange(changeId: $id, note: $note) {\n      changeId\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminStopInFeeds($i: FeedStopInput!) {\n    stopInFeeds(input: $i) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminStopInFeeds($i: FeedStopInput!) {\n    stopInFeeds(input: $i) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminLiftFeedStop($id: Int!) {\n    liftFeedStop(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminLiftFeedStop($id: Int!) {\n    liftFeedStop(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminDirectory($name: String) {\n    organisations(first: 50, filter: { nameContains: $name }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          kind\n          status\n          domains\n          addressRanges\n          sector {\n            code\n          }\n          group {\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminDirectory($name: String) {\n    organisations(first: 50, filter: { nameContains: $name }) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          kind\n          status\n          domains\n          addressRanges\n          sector {\n            code\n          }\n          group {\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminGroups {\n    corporateGroups(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminGroups {\n    corporateGroups(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateOrganisation($i: CreateOrganisationInput!) {\n    createOrganisation(input: $i) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateOrganisation($i: CreateOrganisationInput!) {\n    createOrganisation(input: $i) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSuspendOrganisation($id: ID!) {\n    suspendOrganisation(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSuspendOrganisation($id: ID!) {\n    suspendOrganisation(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminReactivateOrganisation($id: ID!) {\n    reactivateOrganisation(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation AdminReactivateOrganisation($id: ID!) {\n    reactivateOrganisation(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateGroup($i: CreateCorporateGroupInput!) {\n    createCorporateGroup(input: $i) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateGroup($i: CreateCorporateGroupInput!) {\n    createCorporateGroup(input: $i) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SetupStatus {\n    hubStatus {\n      setupRequired\n    }\n  }\n"): (typeof documents)["\n  query SetupStatus {\n    hubStatus {\n      setupRequired\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteSetup($i: CompleteSetupInput!) {\n    completeSetup(input: $i) {\n      user {\n        email\n      }\n      organisation {\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteSetup($i: CompleteSetupInput!) {\n    completeSetup(input: $i) {\n      user {\n        email\n      }\n      organisation {\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUsers($org: ID) {\n    users(first: 50, filter: { organisationId: $org }) {\n      totalCount\n      edges {\n        node {\n          id\n          email\n          displayName\n          role\n          status\n          emailVerifiedAt\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminUsers($org: ID) {\n    users(first: 50, filter: { organisationId: $org }) {\n      totalCount\n      edges {\n        node {\n          id\n          email\n          displayName\n          role\n          status\n          emailVerifiedAt\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateUser($i: CreateUserInput!) {\n    createUser(input: $i) {\n      id\n      email\n      emailVerifiedAt\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateUser($i: CreateUserInput!) {\n    createUser(input: $i) {\n      id\n      email\n      emailVerifiedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSetRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSetRole($id: ID!, $role: Role!) {\n    setUserRole(id: $id, role: $role) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminSuspendUser($id: ID!) {\n    suspendUser(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation AdminSuspendUser($id: ID!) {\n    suspendUser(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminReactivateUser($id: ID!) {\n    reactivateUser(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation AdminReactivateUser($id: ID!) {\n    reactivateUser(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminPasswordReset($id: ID!, $factors: Boolean) {\n    issuePasswordReset(id: $id, resetSecondFactors: $factors) {\n      token\n      expiresAt\n      resetsSecondFactors\n    }\n  }\n"): (typeof documents)["\n  mutation AdminPasswordReset($id: ID!, $factors: Boolean) {\n    issuePasswordReset(id: $id, resetSecondFactors: $factors) {\n      token\n      expiresAt\n      resetsSecondFactors\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminEmailProof($id: ID!) {\n    issueEmailVerification(id: $id)\n  }\n"): (typeof documents)["\n  mutation AdminEmailProof($id: ID!) {\n    issueEmailVerification(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminWebhooks {\n    webhooks {\n      id\n      url\n      topic\n      status\n      attempts\n      failingSince\n      pausedReason\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query AdminWebhooks {\n    webhooks {\n      id\n      url\n      topic\n      status\n      attempts\n      failingSince\n      pausedReason\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminWebhookDeliveries($id: ID!) {\n    webhookDeliveries(id: $id, first: 50) {\n      eventId\n      at\n      attempt\n      statusCode\n      durationMs\n      error\n    }\n  }\n"): (typeof documents)["\n  query AdminWebhookDeliveries($id: ID!) {\n    webhookDeliveries(id: $id, first: 50) {\n      eventId\n      at\n      attempt\n      statusCode\n      durationMs\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateWebhook($i: CreateWebhookInput!) {\n    createWebhook(input: $i) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateWebhook($i: CreateWebhookInput!) {\n    createWebhook(input: $i) {\n      secret\n      webhook {\n        id\n        url\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminDeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"): (typeof documents)["\n  mutation AdminDeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminResumeWebhook($id: ID!) {\n    resumeWebhook(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation AdminResumeWebhook($id: ID!) {\n    resumeWebhook(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertRules {\n    myAlertRules {\n      id\n      topic\n      delivery\n      paused\n      createdAt\n      reportFilter {\n        kinds\n        markings\n        sectors\n        categories\n        events\n      }\n      listFilter {\n        markings\n        sectors\n        events\n      }\n    }\n    myAlertSends(first: 25) {\n      id\n      ruleId\n      period\n      status\n      events\n      attempts\n      lastError\n      nextAttemptAt\n      sentAt\n    }\n    myLanguage\n  }\n"): (typeof documents)["\n  query AlertRules {\n    myAlertRules {\n      id\n      topic\n      delivery\n      paused\n      createdAt\n      reportFilter {\n        kinds\n        markings\n        sectors\n        categories\n        events\n      }\n      listFilter {\n        markings\n        sectors\n        events\n      }\n    }\n    myAlertSends(first: 25) {\n      id\n      ruleId\n      period\n      status\n      events\n      attempts\n      lastError\n      nextAttemptAt\n      sentAt\n    }\n    myLanguage\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAlertRule($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAlertRule($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n    updateAlertRule(id: $id, input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseAlertRule($id: ID!, $paused: Boolean!) {\n    pauseAlertRule(id: $id, paused: $paused) {\n      id\n      paused\n    }\n  }\n"): (typeof documents)["\n  mutation PauseAlertRule($id: ID!, $paused: Boolean!) {\n    pauseAlertRule(id: $id, paused: $paused) {\n      id\n      paused\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetAlertLanguage($language: Language!) {\n    setMyLanguage(language: $language)\n  }\n"): (typeof documents)["\n  mutation SetAlertLanguage($language: Language!) {\n    setMyLanguage(language: $language)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMyDigestsNow {\n    sendMyDigestsNow\n  }\n"): (typeof documents)["\n  mutation SendMyDigestsNow {\n    sendMyDigestsNow\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Mailbox {\n    myMailbox(first: 50) {\n      id\n      subject\n      body\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Mailbox {\n    myMailbox(first: 50) {\n      id\n      subject\n      body\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssistanceReport($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      tlp\n      anonymous\n      author {\n        own\n      }\n    }\n  }\n"): (typeof documents)["\n  query AssistanceReport($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      tlp\n      anonymous\n      author {\n        own\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestAssistance($input: AssistanceRequestInput!) {\n    requestAssistance(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RequestAssistance($input: AssistanceRequestInput!) {\n    requestAssistance(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssistanceRequests {\n    assistanceRequests {\n      id\n      body\n      status\n      createdAt\n      requester {\n        label\n        own\n      }\n      responses {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  query AssistanceRequests {\n    assistanceRequests {\n      id\n      body\n      status\n      createdAt\n      requester {\n        label\n        own\n      }\n      responses {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssistanceRequestView($id: ID!) {\n    assistanceRequest(id: $id) {\n      id\n      reportId\n      body\n      status\n      createdAt\n      closedAt\n      addressedOrganisationIds\n      requester {\n        label\n        own\n      }\n      responses {\n        id\n        body\n        createdAt\n        author {\n          label\n          own\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AssistanceRequestView($id: ID!) {\n    assistanceRequest(id: $id) {\n      id\n      reportId\n      body\n      status\n      createdAt\n      closedAt\n      addressedOrganisationIds\n      requester {\n        label\n        own\n      }\n      responses {\n        id\n        body\n        createdAt\n        author {\n          label\n          own\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RespondToAssistance($id: ID!, $body: String!) {\n    respondToAssistance(id: $id, body: $body) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RespondToAssistance($id: ID!, $body: String!) {\n    respondToAssistance(id: $id, body: $body) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloseAssistanceRequest($id: ID!) {\n    closeAssistanceRequest(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CloseAssistanceRequest($id: ID!) {\n    closeAssistanceRequest(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactDirectory {\n    contactDirectory {\n      organisationId\n      organisationName\n      tlp\n      phone\n      email\n      openpgpKey\n      hours\n      escalation\n      lastConfirmedAt\n      confirmationOverdue\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactDirectory {\n    contactDirectory {\n      organisationId\n      organisationName\n      tlp\n      phone\n      email\n      openpgpKey\n      hours\n      escalation\n      lastConfirmedAt\n      confirmationOverdue\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactReminders {\n    contactReminders {\n      organisationId\n      organisationName\n      lastConfirmedAt\n    }\n  }\n"): (typeof documents)["\n  query ContactReminders {\n    contactReminders {\n      organisationId\n      organisationName\n      lastConfirmedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetContact($input: ContactInput!) {\n    setContact(input: $input) {\n      organisationId\n      lastConfirmedAt\n    }\n  }\n"): (typeof documents)["\n  mutation SetContact($input: ContactInput!) {\n    setContact(input: $input) {\n      organisationId\n      lastConfirmedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmContact {\n    confirmContact {\n      organisationId\n      lastConfirmedAt\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmContact {\n    confirmContact {\n      organisationId\n      lastConfirmedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Inbox(\n    $first: Int!\n    $filter: ReportFilter\n    $lists: Boolean!\n    $listFilter: IndicatorListFilter\n  ) {\n    reports(first: $first, filter: $filter) {\n      ...InboxReports\n    }\n    unreadReportCount\n    unreadReportCountCapped\n    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          createdAt\n          sectors\n          liveEntries\n          exercise\n          author {\n            label\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Inbox(\n    $first: Int!\n    $filter: ReportFilter\n    $lists: Boolean!\n    $listFilter: IndicatorListFilter\n  ) {\n    reports(first: $first, filter: $filter) {\n      ...InboxReports\n    }\n    unreadReportCount\n    unreadReportCountCapped\n    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          createdAt\n          sectors\n          liveEntries\n          exercise\n          author {\n            label\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxFilterOptions {\n    reportFilterOptions {\n      categories\n      sectors\n    }\n  }\n"): (typeof documents)["\n  query InboxFilterOptions {\n    reportFilterOptions {\n      categories\n      sectors\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InboxReports on ReportConnection {\n    totalCount\n    totalCountCapped\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        title\n        kind\n        tlp\n        status\n        publishedAt\n        createdAt\n        exercise\n        unread\n        author {\n          label\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment InboxReports on ReportConnection {\n    totalCount\n    totalCountCapped\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        title\n        kind\n        tlp\n        status\n        publishedAt\n        createdAt\n        exercise\n        unread\n        author {\n          label\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxMore($after: String!, $filter: ReportFilter) {\n    reports(first: 50, after: $after, filter: $filter) {\n      ...InboxReports\n    }\n  }\n"): (typeof documents)["\n  query InboxMore($after: String!, $filter: ReportFilter) {\n    reports(first: 50, after: $after, filter: $filter) {\n      ...InboxReports\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InboxMarkAllRead {\n    markAllReportsRead\n  }\n"): (typeof documents)["\n  mutation InboxMarkAllRead {\n    markAllReportsRead\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InboxSaveAsAlert($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation InboxSaveAsAlert($input: AlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InboxReportEvents {\n    reportEvents {\n      cursor\n      kind\n    }\n  }\n"): (typeof documents)["\n  subscription InboxReportEvents {\n    reportEvents {\n      cursor\n      kind\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InboxListEvents {\n    listEvents {\n      cursor\n      kind\n    }\n  }\n"): (typeof documents)["\n  subscription InboxListEvents {\n    listEvents {\n      cursor\n      kind\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ImportResult on EntryImportResult {\n    applied\n    added\n    resighted\n    rejectedCount\n    rejected {\n      line\n      where\n      input\n      message\n    }\n    suppressed {\n      line\n      where\n      input\n      message\n    }\n    warnings {\n      line\n      where\n      input\n      message\n    }\n    ignoredCount\n    ignored {\n      line\n      where\n      input\n      message\n    }\n    held {\n      reason\n    }\n  }\n"): (typeof documents)["\n  fragment ImportResult on EntryImportResult {\n    applied\n    added\n    resighted\n    rejectedCount\n    rejected {\n      line\n      where\n      input\n      message\n    }\n    suppressed {\n      line\n      where\n      input\n      message\n    }\n    warnings {\n      line\n      where\n      input\n      message\n    }\n    ignoredCount\n    ignored {\n      line\n      where\n      input\n      message\n    }\n    held {\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddListEntries($listId: ID!, $input: ListEntriesInput!) {\n    addListEntries(listId: $listId, input: $input) {\n      ...ImportResult\n    }\n  }\n"): (typeof documents)["\n  mutation AddListEntries($listId: ID!, $input: ListEntriesInput!) {\n    addListEntries(listId: $listId, input: $input) {\n      ...ImportResult\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ListIndexRow on IndicatorListConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        name\n        tlp\n        status\n        exercise\n        createdAt\n        liveEntries\n        author {\n          label\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ListIndexRow on IndicatorListConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        name\n        tlp\n        status\n        exercise\n        createdAt\n        liveEntries\n        author {\n          label\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListIndex($first: Int!, $after: String, $filter: IndicatorListFilter) {\n    indicatorLists(first: $first, after: $after, filter: $filter) {\n      ...ListIndexRow\n    }\n  }\n"): (typeof documents)["\n  query ListIndex($first: Int!, $after: String, $filter: IndicatorListFilter) {\n    indicatorLists(first: $first, after: $after, filter: $filter) {\n      ...ListIndexRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateIndicatorList($input: IndicatorListInput!) {\n    createIndicatorList(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateIndicatorList($input: IndicatorListInput!) {\n    createIndicatorList(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ListEntryPage on ListEntryConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        value\n        type\n        confidence\n        lastSeen\n        validUntil\n        expired\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ListEntryPage on ListEntryConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        value\n        type\n        confidence\n        lastSeen\n        validUntil\n        expired\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListView($id: ID!, $first: Int!, $filter: ListEntryFilter) {\n    indicatorList(id: $id) {\n      id\n      name\n      description\n      tlp\n      status\n      revision\n      createdAt\n      retractionReason\n      exercise\n      exerciseName\n      liveEntries\n      reportId\n      sectors\n      author {\n        label\n        own\n      }\n      entries(first: $first, filter: $filter) {\n        ...ListEntryPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListView($id: ID!, $first: Int!, $filter: ListEntryFilter) {\n    indicatorList(id: $id) {\n      id\n      name\n      description\n      tlp\n      status\n      revision\n      createdAt\n      retractionReason\n      exercise\n      exerciseName\n      liveEntries\n      reportId\n      sectors\n      author {\n        label\n        own\n      }\n      entries(first: $first, filter: $filter) {\n        ...ListEntryPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListMoreEntries($id: ID!, $after: String!, $filter: ListEntryFilter) {\n    indicatorList(id: $id) {\n      id\n      entries(first: 100, after: $after, filter: $filter) {\n        ...ListEntryPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListMoreEntries($id: ID!, $after: String!, $filter: ListEntryFilter) {\n    indicatorList(id: $id) {\n      id\n      entries(first: 100, after: $after, filter: $filter) {\n        ...ListEntryPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EntrySightings($value: String!) {\n    indicator(value: $value) {\n      value\n      sightings {\n        listId\n        listName\n        tlp\n        confidence\n        firstSeen\n        lastSeen\n        note\n        author {\n          label\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query EntrySightings($value: String!) {\n    indicator(value: $value) {\n      value\n      sightings {\n        listId\n        listName\n        tlp\n        confidence\n        firstSeen\n        lastSeen\n        note\n        author {\n          label\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OwnOpenLists {\n    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OwnOpenLists {\n    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveListEntries($id: ID!, $values: [String!]!) {\n    removeListEntries(listId: $id, values: $values) {\n      removed\n      notFound\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveListEntries($id: ID!, $values: [String!]!) {\n    removeListEntries(listId: $id, values: $values) {\n      removed\n      notFound\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExpireIndicatorList($id: ID!) {\n    expireIndicatorList(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation ExpireIndicatorList($id: ID!) {\n    expireIndicatorList(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetractIndicatorList($id: ID!, $reason: String!) {\n    retractIndicatorList(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RetractIndicatorList($id: ID!, $reason: String!) {\n    retractIndicatorList(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportLists($reportId: ID!) {\n    indicatorLists(first: 25, filter: { reportId: $reportId }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          liveEntries\n          author {\n            label\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportLists($reportId: ID!) {\n    indicatorLists(first: 25, filter: { reportId: $reportId }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          liveEntries\n          author {\n            label\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LinkableLists {\n    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          reportId\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LinkableLists {\n    indicatorLists(first: 100, filter: { ownOnly: true, status: PUBLISHED }) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          reportId\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LinkListToReport($id: ID!, $reportId: ID!) {\n    updateIndicatorList(id: $id, input: { reportId: $reportId }) {\n      id\n      reportId\n    }\n  }\n"): (typeof documents)["\n  mutation LinkListToReport($id: ID!, $reportId: ID!) {\n    updateIndicatorList(id: $id, input: { reportId: $reportId }) {\n      id\n      reportId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($i: LoginInput!) {\n    login(input: $i) {\n      secondFactorVerified\n      enrolmentRequired\n    }\n  }\n"): (typeof documents)["\n  mutation Login($i: LoginInput!) {\n    login(input: $i) {\n      secondFactorVerified\n      enrolmentRequired\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n"): (typeof documents)["\n  mutation LoginTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginRecovery($c: String!) {\n    verifyRecoveryCode(code: $c) {\n      secondFactorVerified\n    }\n  }\n"): (typeof documents)["\n  mutation LoginRecovery($c: String!) {\n    verifyRecoveryCode(code: $c) {\n      secondFactorVerified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoginStartOver {\n    logout\n  }\n"): (typeof documents)["\n  mutation LoginStartOver {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportDraft($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      anonymous\n      exerciseName\n      categories\n      affectedSectors\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n        redRecipientEmails\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportDraft($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      anonymous\n      exerciseName\n      categories\n      affectedSectors\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n        redRecipientEmails\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EditorOwnKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n"): (typeof documents)["\n  query EditorOwnKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EditorDrafts {\n    drafts: reports(first: 20, filter: { status: DRAFT }) {\n      edges {\n        node {\n          id\n          title\n          updatedAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query EditorDrafts {\n    drafts: reports(first: 20, filter: { status: DRAFT }) {\n      edges {\n        node {\n          id\n          title\n          updatedAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RedRecipients($emails: [String!]!) {\n    redRecipientOrganisations(emails: $emails) {\n      email\n      organisationName\n    }\n  }\n"): (typeof documents)["\n  query RedRecipients($emails: [String!]!) {\n    redRecipientOrganisations(emails: $emails) {\n      email\n      organisationName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateReport($input: ReportInput!) {\n    createReport(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateReport($input: ReportInput!) {\n    createReport(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateReport($id: ID!, $input: ReportInput!) {\n    updateReport(id: $id, input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateReport($id: ID!, $input: ReportInput!) {\n    updateReport(id: $id, input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PreviewRedactions($id: ID!) {\n    previewReportRedactions(id: $id) {\n      previewHash\n      author {\n        labels\n        tooFewToHideIn\n      }\n      sections {\n        field\n        text\n        redactions {\n          start\n          end\n          kind\n          original\n          replacement\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PreviewRedactions($id: ID!) {\n    previewReportRedactions(id: $id) {\n      previewHash\n      author {\n        labels\n        tooFewToHideIn\n      }\n      sections {\n        field\n        text\n        redactions {\n          start\n          end\n          kind\n          original\n          replacement\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishReport($id: ID!, $hash: String!) {\n    publishReport(id: $id, previewHash: $hash) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation PublishReport($id: ID!, $hash: String!) {\n    publishReport(id: $id, previewHash: $hash) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportView($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      revision\n      publishedAt\n      createdAt\n      retractionReason\n      exercise\n      exerciseName\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n      }\n      categories\n      affectedSectors\n      author {\n        label\n        own\n      }\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      linkedReports {\n        id\n        title\n        tlp\n      }\n      revisions {\n        revision\n        title\n        tlp\n        createdAt\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          label\n        }\n      }\n      sightings {\n        id\n        note\n        seenOn\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportView($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      revision\n      publishedAt\n      createdAt\n      retractionReason\n      exercise\n      exerciseName\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n      }\n      categories\n      affectedSectors\n      author {\n        label\n        own\n      }\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      linkedReports {\n        id\n        title\n        tlp\n      }\n      revisions {\n        revision\n        title\n        tlp\n        createdAt\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          label\n        }\n      }\n      sightings {\n        id\n        note\n        seenOn\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddComment($id: ID!, $body: String!) {\n    addReportComment(reportId: $id, body: $body) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AddComment($id: ID!, $body: String!) {\n    addReportComment(reportId: $id, body: $body) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetractReport($id: ID!, $reason: String!) {\n    retractReport(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RetractReport($id: ID!, $reason: String!) {\n    retractReport(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkReportRead($id: ID!) {\n    markReportRead(id: $id)\n  }\n"): (typeof documents)["\n  mutation MarkReportRead($id: ID!) {\n    markReportRead(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddSighting($id: ID!, $note: String) {\n    addReportSighting(reportId: $id, note: $note) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AddSighting($id: ID!, $note: String) {\n    addReportSighting(reportId: $id, note: $note) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $p: String!) {\n    resetPassword(token: $token, newPassword: $p)\n  }\n"): (typeof documents)["\n  mutation ResetPassword($token: String!, $p: String!) {\n    resetPassword(token: $token, newPassword: $p)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QuarterlySummary($quarter: String!) {\n    quarterlySummary(quarter: $quarter) {\n      quarter\n      suppressedBelow\n      markdown\n      counts {\n        quarter\n        category\n        sector\n        count\n        suppressed\n      }\n      lessons {\n        reportId\n        kind\n        title\n        author\n        categories\n        affectedSectors\n        lessonsLearned\n      }\n    }\n  }\n"): (typeof documents)["\n  query QuarterlySummary($quarter: String!) {\n    quarterlySummary(quarter: $quarter) {\n      quarter\n      suppressedBelow\n      markdown\n      counts {\n        quarter\n        category\n        sector\n        count\n        suppressed\n      }\n      lessons {\n        reportId\n        kind\n        title\n        author\n        categories\n        affectedSectors\n        lessonsLearned\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Statistics($from: String, $to: String) {\n    statistics(from: $from, to: $to) {\n      cells {\n        quarter\n        category\n        sector\n        count\n        suppressed\n      }\n      csv\n      suppressedBelow\n    }\n  }\n"): (typeof documents)["\n  query Statistics($from: String, $to: String) {\n    statistics(from: $from, to: $to) {\n      cells {\n        quarter\n        category\n        sector\n        count\n        suppressed\n      }\n      csv\n      suppressedBelow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StatisticsOrganisationKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n"): (typeof documents)["\n  query StatisticsOrganisationKind {\n    me {\n      id\n      organisation {\n        id\n        kind\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token)\n  }\n"): (typeof documents)["\n  mutation VerifyEmail($token: String!) {\n    verifyEmail(token: $token)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;