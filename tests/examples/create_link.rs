use stytch_magic_links::types::ApiMagicV1CreateRequest;
use stytch_magic_links::{Client, Error, servers};

async fn create_link(user_id: &str) -> Result<String, Error<stytch_magic_links::types::ErrorResponse>> {
    let client = Client::builder(servers::TEST_SERVER)
        .basic_auth("project-test-...", "secret-test-...")
        .build()
        .expect("valid configuration");
    let request = ApiMagicV1CreateRequest::new(user_id).with_expiration_minutes(60);
    let response = client.magic().create(&request).await?;
    // `Debug` of the response prints `token: [redacted]`; the field itself holds the token.
    Ok(response.into_body().token)
}
