// Flow board messages (English): the reference for the other languages.
export const flowEn = {
  title: "Flow board",
};
