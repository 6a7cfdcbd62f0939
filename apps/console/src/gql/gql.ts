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
    "\n  query Inbox(\n    $first: Int!\n    $filter: ReportFilter\n    $lists: Boolean!\n    $listFilter: IndicatorListFilter\n  ) {\n    reports(first: $first, filter: $filter) {\n      ...InboxReports\n    }\n    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          createdAt\n          sectors\n          liveEntries\n          author {\n            label\n          }\n        }\n      }\n    }\n    reportFilterOptions {\n      categories\n      sectors\n    }\n  }\n": typeof types.InboxDocument,
    "\n  fragment InboxReports on ReportConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        title\n        kind\n        tlp\n        status\n        publishedAt\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n": typeof types.InboxReportsFragmentDoc,
    "\n  query InboxMore($after: String!, $filter: ReportFilter) {\n    reports(first: 50, after: $after, filter: $filter) {\n      ...InboxReports\n    }\n  }\n": typeof types.InboxMoreDocument,
    "\n  subscription InboxReportEvents {\n    reportEvents {\n      cursor\n      kind\n    }\n  }\n": typeof types.InboxReportEventsDocument,
    "\n  subscription InboxListEvents {\n    listEvents {\n      cursor\n      kind\n    }\n  }\n": typeof types.InboxListEventsDocument,
    "\n  mutation Login($i: LoginInput!) {\n    login(input: $i) {\n      secondFactorVerified\n      enrolmentRequired\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation LoginTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n": typeof types.LoginTotpDocument,
    "\n  mutation LoginRecovery($c: String!) {\n    verifyRecoveryCode(code: $c) {\n      secondFactorVerified\n    }\n  }\n": typeof types.LoginRecoveryDocument,
    "\n  mutation LoginStartOver {\n    logout\n  }\n": typeof types.LoginStartOverDocument,
    "\n  query ReportDraft($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      anonymous\n      categories\n      affectedSectors\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n        redRecipientEmails\n      }\n    }\n  }\n": typeof types.ReportDraftDocument,
    "\n  query EditorOrganisations {\n    organisations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.EditorOrganisationsDocument,
    "\n  query EditorGroups {\n    corporateGroups(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.EditorGroupsDocument,
    "\n  query EditorDrafts {\n    drafts: reports(first: 20, filter: { status: DRAFT }) {\n      edges {\n        node {\n          id\n          title\n          updatedAt\n        }\n      }\n    }\n  }\n": typeof types.EditorDraftsDocument,
    "\n  query RedRecipients($emails: [String!]!) {\n    redRecipientOrganisations(emails: $emails) {\n      email\n      organisationName\n    }\n  }\n": typeof types.RedRecipientsDocument,
    "\n  mutation CreateReport($input: ReportInput!) {\n    createReport(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateReportDocument,
    "\n  mutation UpdateReport($id: ID!, $input: ReportInput!) {\n    updateReport(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.UpdateReportDocument,
    "\n  mutation PreviewRedactions($id: ID!) {\n    previewReportRedactions(id: $id) {\n      previewHash\n      sections {\n        field\n        text\n        redactions {\n          start\n          end\n          kind\n          original\n          replacement\n        }\n      }\n    }\n  }\n": typeof types.PreviewRedactionsDocument,
    "\n  mutation PublishReport($id: ID!, $hash: String!) {\n    publishReport(id: $id, previewHash: $hash) {\n      id\n    }\n  }\n": typeof types.PublishReportDocument,
    "\n  query ReportView($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      revision\n      publishedAt\n      createdAt\n      retractionReason\n      categories\n      affectedSectors\n      author {\n        label\n        own\n      }\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      linkedReports {\n        id\n        title\n        tlp\n      }\n      revisions {\n        revision\n        title\n        tlp\n        createdAt\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          label\n        }\n      }\n      sightings {\n        id\n        note\n        seenOn\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n": typeof types.ReportViewDocument,
    "\n  mutation AddComment($id: ID!, $body: String!) {\n    addReportComment(reportId: $id, body: $body) {\n      id\n    }\n  }\n": typeof types.AddCommentDocument,
    "\n  mutation RetractReport($id: ID!, $reason: String!) {\n    retractReport(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": typeof types.RetractReportDocument,
    "\n  mutation AddSighting($id: ID!, $note: String) {\n    addReportSighting(reportId: $id, note: $note) {\n      id\n    }\n  }\n": typeof types.AddSightingDocument,
    "\n  mutation ResetPassword($token: String!, $p: String!) {\n    resetPassword(token: $token, newPassword: $p)\n  }\n": typeof types.ResetPasswordDocument,
};
const documents: Documents = {
    "\n  query Names {\n    sectors {\n      code\n      nameEn\n      nameJa\n    }\n    reportCategories {\n      code\n      nameEn\n      nameJa\n    }\n  }\n": types.NamesDocument,
    "\n  query Session {\n    me {\n      id\n      email\n      displayName\n      role\n      organisation {\n        id\n        name\n      }\n    }\n    mySecurity {\n      secondFactorVerified\n      totpEnabled\n      passkeys {\n        id\n      }\n    }\n  }\n": types.SessionDocument,
    "\n  mutation StartPasskeyAuthentication {\n    startPasskeyAuthentication {\n      challengeId\n      optionsJson\n    }\n  }\n": types.StartPasskeyAuthenticationDocument,
    "\n  mutation FinishPasskeyAuthentication($c: String!, $r: String!) {\n    finishPasskeyAuthentication(challengeId: $c, responseJson: $r) {\n      secondFactorVerified\n    }\n  }\n": types.FinishPasskeyAuthenticationDocument,
    "\n  mutation StartPasskeyRegistration {\n    startPasskeyRegistration {\n      challengeId\n      optionsJson\n    }\n  }\n": types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($c: String!, $r: String!, $n: String!) {\n    finishPasskeyRegistration(challengeId: $c, responseJson: $r, name: $n) {\n      recoveryCodes\n      passkey {\n        id\n      }\n    }\n  }\n": types.FinishPasskeyRegistrationDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
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
    "\n  query Inbox(\n    $first: Int!\n    $filter: ReportFilter\n    $lists: Boolean!\n    $listFilter: IndicatorListFilter\n  ) {\n    reports(first: $first, filter: $filter) {\n      ...InboxReports\n    }\n    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          createdAt\n          sectors\n          liveEntries\n          author {\n            label\n          }\n        }\n      }\n    }\n    reportFilterOptions {\n      categories\n      sectors\n    }\n  }\n": types.InboxDocument,
    "\n  fragment InboxReports on ReportConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        title\n        kind\n        tlp\n        status\n        publishedAt\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n": types.InboxReportsFragmentDoc,
    "\n  query InboxMore($after: String!, $filter: ReportFilter) {\n    reports(first: 50, after: $after, filter: $filter) {\n      ...InboxReports\n    }\n  }\n": types.InboxMoreDocument,
    "\n  subscription InboxReportEvents {\n    reportEvents {\n      cursor\n      kind\n    }\n  }\n": types.InboxReportEventsDocument,
    "\n  subscription InboxListEvents {\n    listEvents {\n      cursor\n      kind\n    }\n  }\n": types.InboxListEventsDocument,
    "\n  mutation Login($i: LoginInput!) {\n    login(input: $i) {\n      secondFactorVerified\n      enrolmentRequired\n    }\n  }\n": types.LoginDocument,
    "\n  mutation LoginTotp($c: String!) {\n    verifyTotp(code: $c) {\n      secondFactorVerified\n    }\n  }\n": types.LoginTotpDocument,
    "\n  mutation LoginRecovery($c: String!) {\n    verifyRecoveryCode(code: $c) {\n      secondFactorVerified\n    }\n  }\n": types.LoginRecoveryDocument,
    "\n  mutation LoginStartOver {\n    logout\n  }\n": types.LoginStartOverDocument,
    "\n  query ReportDraft($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      anonymous\n      categories\n      affectedSectors\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n        redRecipientEmails\n      }\n    }\n  }\n": types.ReportDraftDocument,
    "\n  query EditorOrganisations {\n    organisations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.EditorOrganisationsDocument,
    "\n  query EditorGroups {\n    corporateGroups(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.EditorGroupsDocument,
    "\n  query EditorDrafts {\n    drafts: reports(first: 20, filter: { status: DRAFT }) {\n      edges {\n        node {\n          id\n          title\n          updatedAt\n        }\n      }\n    }\n  }\n": types.EditorDraftsDocument,
    "\n  query RedRecipients($emails: [String!]!) {\n    redRecipientOrganisations(emails: $emails) {\n      email\n      organisationName\n    }\n  }\n": types.RedRecipientsDocument,
    "\n  mutation CreateReport($input: ReportInput!) {\n    createReport(input: $input) {\n      id\n    }\n  }\n": types.CreateReportDocument,
    "\n  mutation UpdateReport($id: ID!, $input: ReportInput!) {\n    updateReport(id: $id, input: $input) {\n      id\n    }\n  }\n": types.UpdateReportDocument,
    "\n  mutation PreviewRedactions($id: ID!) {\n    previewReportRedactions(id: $id) {\n      previewHash\n      sections {\n        field\n        text\n        redactions {\n          start\n          end\n          kind\n          original\n          replacement\n        }\n      }\n    }\n  }\n": types.PreviewRedactionsDocument,
    "\n  mutation PublishReport($id: ID!, $hash: String!) {\n    publishReport(id: $id, previewHash: $hash) {\n      id\n    }\n  }\n": types.PublishReportDocument,
    "\n  query ReportView($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      revision\n      publishedAt\n      createdAt\n      retractionReason\n      categories\n      affectedSectors\n      author {\n        label\n        own\n      }\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      linkedReports {\n        id\n        title\n        tlp\n      }\n      revisions {\n        revision\n        title\n        tlp\n        createdAt\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          label\n        }\n      }\n      sightings {\n        id\n        note\n        seenOn\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n": types.ReportViewDocument,
    "\n  mutation AddComment($id: ID!, $body: String!) {\n    addReportComment(reportId: $id, body: $body) {\n      id\n    }\n  }\n": types.AddCommentDocument,
    "\n  mutation RetractReport($id: ID!, $reason: String!) {\n    retractReport(id: $id, reason: $reason) {\n      id\n      status\n    }\n  }\n": types.RetractReportDocument,
    "\n  mutation AddSighting($id: ID!, $note: String) {\n    addReportSighting(reportId: $id, note: $note) {\n      id\n    }\n  }\n": types.AddSightingDocument,
    "\n  mutation ResetPassword($token: String!, $p: String!) {\n    resetPassword(token: $token, newPassword: $p)\n  }\n": types.ResetPasswordDocument,
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
export function graphql(source: "\n  query Inbox(\n    $first: Int!\n    $filter: ReportFilter\n    $lists: Boolean!\n    $listFilter: IndicatorListFilter\n  ) {\n    reports(first: $first, filter: $filter) {\n      ...InboxReports\n    }\n    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          createdAt\n          sectors\n          liveEntries\n          author {\n            label\n          }\n        }\n      }\n    }\n    reportFilterOptions {\n      categories\n      sectors\n    }\n  }\n"): (typeof documents)["\n  query Inbox(\n    $first: Int!\n    $filter: ReportFilter\n    $lists: Boolean!\n    $listFilter: IndicatorListFilter\n  ) {\n    reports(first: $first, filter: $filter) {\n      ...InboxReports\n    }\n    indicatorLists(first: 50, filter: $listFilter) @include(if: $lists) {\n      edges {\n        node {\n          id\n          name\n          tlp\n          status\n          createdAt\n          sectors\n          liveEntries\n          author {\n            label\n          }\n        }\n      }\n    }\n    reportFilterOptions {\n      categories\n      sectors\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InboxReports on ReportConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        title\n        kind\n        tlp\n        status\n        publishedAt\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment InboxReports on ReportConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        title\n        kind\n        tlp\n        status\n        publishedAt\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxMore($after: String!, $filter: ReportFilter) {\n    reports(first: 50, after: $after, filter: $filter) {\n      ...InboxReports\n    }\n  }\n"): (typeof documents)["\n  query InboxMore($after: String!, $filter: ReportFilter) {\n    reports(first: 50, after: $after, filter: $filter) {\n      ...InboxReports\n    }\n  }\n"];
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
export function graphql(source: "\n  query ReportDraft($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      anonymous\n      categories\n      affectedSectors\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n        redRecipientEmails\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportDraft($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      anonymous\n      categories\n      affectedSectors\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      audience {\n        sectorCodes\n        organisationIds\n        groupIds\n        redRecipientEmails\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EditorOrganisations {\n    organisations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query EditorOrganisations {\n    organisations(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EditorGroups {\n    corporateGroups(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query EditorGroups {\n    corporateGroups(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation PreviewRedactions($id: ID!) {\n    previewReportRedactions(id: $id) {\n      previewHash\n      sections {\n        field\n        text\n        redactions {\n          start\n          end\n          kind\n          original\n          replacement\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PreviewRedactions($id: ID!) {\n    previewReportRedactions(id: $id) {\n      previewHash\n      sections {\n        field\n        text\n        redactions {\n          start\n          end\n          kind\n          original\n          replacement\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishReport($id: ID!, $hash: String!) {\n    publishReport(id: $id, previewHash: $hash) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation PublishReport($id: ID!, $hash: String!) {\n    publishReport(id: $id, previewHash: $hash) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportView($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      revision\n      publishedAt\n      createdAt\n      retractionReason\n      categories\n      affectedSectors\n      author {\n        label\n        own\n      }\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      linkedReports {\n        id\n        title\n        tlp\n      }\n      revisions {\n        revision\n        title\n        tlp\n        createdAt\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          label\n        }\n      }\n      sightings {\n        id\n        note\n        seenOn\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReportView($id: ID!) {\n    report(id: $id) {\n      id\n      title\n      kind\n      tlp\n      status\n      revision\n      publishedAt\n      createdAt\n      retractionReason\n      categories\n      affectedSectors\n      author {\n        label\n        own\n      }\n      summary\n      background\n      detection\n      response\n      cause\n      countermeasures\n      lessonsLearned\n      impact {\n        servicesAffected\n        scope\n        durationMinutes\n      }\n      timeline {\n        occurredAt\n        detectedAt\n        containedAt\n        recoveredAt\n      }\n      linkedReports {\n        id\n        title\n        tlp\n      }\n      revisions {\n        revision\n        title\n        tlp\n        createdAt\n      }\n      comments {\n        id\n        body\n        createdAt\n        author {\n          label\n        }\n      }\n      sightings {\n        id\n        note\n        seenOn\n        createdAt\n        author {\n          label\n        }\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation AddSighting($id: ID!, $note: String) {\n    addReportSighting(reportId: $id, note: $note) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AddSighting($id: ID!, $note: String) {\n    addReportSighting(reportId: $id, note: $note) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($token: String!, $p: String!) {\n    resetPassword(token: $token, newPassword: $p)\n  }\n"): (typeof documents)["\n  mutation ResetPassword($token: String!, $p: String!) {\n    resetPassword(token: $token, newPassword: $p)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;