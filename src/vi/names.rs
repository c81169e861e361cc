//! People's names as bylines write them: `MINH KHÔI` → `Minh Khôi`.

/// Each word of `name` with a capital first letter and the rest in lower case.
pub fn title_case(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::title_case;

    #[test]
    fn names_in_capitals_are_written_as_bylines() {
        assert_eq!(title_case("NGUYỄN VĂN ĐỨC"), "Nguyễn Văn Đức");
        assert_eq!(title_case("ÁI  VÂN"), "Ái Vân");
        assert_eq!(title_case("minh khôi"), "Minh Khôi");
    }
}
