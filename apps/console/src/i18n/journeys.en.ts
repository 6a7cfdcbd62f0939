/** Strings of the directory pickers and the recovery steps (issue 14's journeys). */
export const journeysEn = {
  picker: {
    typeToSearch: 'Type part of a name to search',
    more: 'Showing {{shown}} of {{total}}: type part of a name to narrow',
    none: 'No match',
    searching: 'Searching…',
  },
  recovery: {
    resetFactors: 'Reset password and second factors',
    resetFactorsOf: 'Reset password and second factors of {{name}}',
    ticketFactors:
      'Redeeming it also removes every second factor and recovery code of the account: the person enrols a new one at their next login. Hand it over only once you know who is asking.',
  },
};
