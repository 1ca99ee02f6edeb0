// Journey timeline messages (English): the reference for the other languages.
export const journeyEn = {
  title: "Journey",
};
